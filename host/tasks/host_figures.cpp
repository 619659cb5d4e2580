#include "host/tasks/host_figures.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <sstream>
#include <thread>

extern char** environ;

namespace envmgr::host::tasks {
namespace {

std::string find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return {};
}

struct Captured {
    std::string out;
    std::string error;  // "" when it exited 0 in time
};

// Runs program with args, its stdout captured, for at most `limit`.
Captured run_captured(const std::string& program, const std::vector<std::string>& args,
                      std::chrono::milliseconds limit) {
    Captured captured;
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return {{}, "pipe failed"};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (spawned != 0) {
        ::close(pipe_fds[0]);
        return {{}, "cannot run " + program};
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    char buffer[4096];
    bool timed_out = false;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        pollfd fd{pipe_fds[0], POLLIN, 0};
        if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
        const auto n = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        captured.out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(pipe_fds[0]);
    if (timed_out) ::kill(pid, SIGKILL);
    // A program stuck in the kernel (a hung driver) may not even die of SIGKILL: wait a second
    // for it at most, then leave it rather than hang the daemon.
    int status = 0;
    const auto reap_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    pid_t reaped = 0;
    while ((reaped = ::waitpid(pid, &status, timed_out ? WNOHANG : 0)) == 0 &&
           std::chrono::steady_clock::now() < reap_deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (reaped <= 0 && !timed_out) return {{}, program + " could not be waited for"};
    if (timed_out) {
        captured.error = program + " did not answer within " + std::to_string(limit.count()) + " ms";
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        captured.error = program + " failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
    }
    return captured;
}

std::string trimmed(std::string_view text) {
    const auto begin = text.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos) return {};
    const auto end = text.find_last_not_of(" \t\r");
    return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace

std::vector<GpuFigures> parse_nvidia_smi(std::string_view csv) {
    std::vector<GpuFigures> gpus;
    std::size_t begin = 0;
    while (begin < csv.size()) {
        const auto end = std::min(csv.find('\n', begin), csv.size());
        const std::string_view line = csv.substr(begin, end - begin);
        begin = end + 1;
        std::vector<std::string> fields;
        std::size_t from = 0;
        for (;;) {
            const auto comma = line.find(',', from);
            fields.push_back(
                trimmed(line.substr(from, comma == std::string_view::npos ? line.npos : comma - from)));
            if (comma == std::string_view::npos) break;
            from = comma + 1;
        }
        if (fields.size() != 4) continue;
        try {
            GpuFigures gpu;
            gpu.index = std::stoll(fields[0]);
            gpu.name = fields[1];
            gpu.memory_bytes = std::stoll(fields[2]) * 1024 * 1024;
            gpu.utilization_percent = fields[3].find_first_of("0123456789") == 0 ? std::stod(fields[3]) : 0.0;
            gpus.push_back(std::move(gpu));
        } catch (const std::exception&) {  // a line of another shape: not a GPU
        }
    }
    return gpus;
}

HostFigures read_host_figures(const std::string& nvidia_smi) {
    HostFigures figures;
    figures.cpu_cores = ::sysconf(_SC_NPROCESSORS_ONLN);
    figures.memory_bytes = static_cast<std::int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGE_SIZE);
    const std::string program = find_program(nvidia_smi);
    if (program.empty()) {
        figures.gpu_note = nvidia_smi + " not found: no NVIDIA GPU reported";
        return figures;
    }
    const auto captured = run_captured(
        program, {"--query-gpu=index,name,memory.total,utilization.gpu", "--format=csv,noheader,nounits"},
        std::chrono::seconds(5));
    if (!captured.error.empty()) {
        figures.gpu_note = captured.error;
        return figures;
    }
    figures.gpus = parse_nvidia_smi(captured.out);
    return figures;
}

HostFiguresReader::HostFiguresReader(std::string nvidia_smi, std::chrono::milliseconds fresh_for)
    : nvidia_smi_(std::move(nvidia_smi)), fresh_for_(fresh_for) {}

HostFigures HostFiguresReader::read() {
    std::unique_lock lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (read_once_ && now - read_at_ < fresh_for_) return last_;
    if (reading_) {
        // One nvidia-smi at a time: the others take what it finds (or the last figures).
        if (read_once_) return last_;
        done_.wait(lock, [this] { return !reading_; });
        return last_;
    }
    reading_ = true;
    lock.unlock();
    auto figures = read_host_figures(nvidia_smi_);
    lock.lock();
    last_ = figures;
    read_at_ = std::chrono::steady_clock::now();
    read_once_ = true;
    reading_ = false;
    done_.notify_all();
    return figures;
}

}  // namespace envmgr::host::tasks
