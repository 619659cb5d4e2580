#include "plugins/services/ollama/gpu_detection.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <sstream>

namespace envmgr::plugins::services::ollama {
namespace {

int count_device_files(const std::filesystem::path& dev_dir) {
    int count = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dev_dir, ec)) {
        const std::string name = entry.path().filename().string();
        // nvidia<N> is one GPU; nvidiactl, nvidia-uvm and nvidia-modeset are the driver's.
        if (name.size() > 6 && name.starts_with("nvidia") &&
            std::all_of(name.begin() + 6, name.end(),
                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
            ++count;
        }
    }
    return count;
}

int count_proc_entries(const std::filesystem::path& proc_dir) {
    int count = 0;
    std::error_code ec;
    for (const auto& entry :
         std::filesystem::directory_iterator(proc_dir / "driver" / "nvidia" / "gpus", ec)) {
        if (entry.is_directory(ec)) ++count;
    }
    return count;
}

std::string find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : std::string();
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return {};
}

// `nvidia-smi --list-gpus` prints "GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-...)" per GPU. A
// hung driver can make it block, so it gets a deadline and is killed after it.
std::vector<std::string> nvidia_smi_names(const std::string& program, std::chrono::milliseconds timeout) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return {};
    const pid_t pid = fork();
    if (pid < 0) {
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return {};
    }
    if (pid == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        execl(program.c_str(), program.c_str(), "--list-gpus", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(pipe_fds[1]);
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool timed_out = false;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        pollfd fd{pipe_fds[0], POLLIN, 0};
        const int ready = poll(&fd, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            timed_out = ready == 0;
            break;
        }
        char buffer[1024];
        const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
        if (n <= 0) break;
        if (output.size() < 65536) output.append(buffer, static_cast<std::size_t>(n));
    }
    close(pipe_fds[0]);
    if (timed_out) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
    std::vector<std::string> names;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("GPU ")) continue;
        const auto colon = line.find(": ");
        const auto uuid = line.find(" (UUID");
        if (colon == std::string::npos) continue;
        names.push_back(
            line.substr(colon + 2, uuid == std::string::npos ? std::string::npos : uuid - colon - 2));
    }
    return names;
}

}  // namespace

DetectedGpus detect_gpus(const GpuSources& sources) {
    DetectedGpus found;
    if (const int devices = count_device_files(sources.dev_dir); devices > 0) {
        found.count = devices;
        found.evidence = (sources.dev_dir / "nvidia*").string();
    } else if (const int entries = count_proc_entries(sources.proc_dir); entries > 0) {
        found.count = entries;
        found.evidence = (sources.proc_dir / "driver/nvidia/gpus").string();
    }
    if (!sources.nvidia_smi.empty()) {
        if (const auto program = find_program(sources.nvidia_smi); !program.empty()) {
            found.names = nvidia_smi_names(program, sources.nvidia_smi_timeout);
            if (static_cast<int>(found.names.size()) > found.count) {
                found.count = static_cast<int>(found.names.size());
                found.evidence = program + " --list-gpus";
            }
        }
    }
    return found;
}

}  // namespace envmgr::plugins::services::ollama
