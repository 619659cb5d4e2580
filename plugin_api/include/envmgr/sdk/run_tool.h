// Runs a helper program (nvidia-smi, a driver tool) with a deadline, its stdout captured: a
// hung driver can make such a tool block forever, so past the deadline it is killed (SIGKILL)
// and waited for at most another second (a process stuck in the kernel may not even die of
// SIGKILL; it is then left rather than hang the caller). Its stderr goes to /dev/null.
#pragma once

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
#include <string>
#include <thread>
#include <vector>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX declares it nowhere

namespace envmgr::sdk {

struct ToolRun {
    std::string out;    // stdout, at most max_output bytes
    std::string error;  // "" when it exited 0 in time, else why not
};

// name itself when it holds a '/', else the first executable `name` on $PATH; "" when none.
inline std::string find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return {};
}

namespace detail {

// Reads the pipe until EOF or the deadline; true when the deadline passed first.
inline bool read_until(int fd, std::chrono::steady_clock::time_point deadline, std::string& out,
                       std::size_t max_output) {
    char buffer[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return true;
        pollfd ready{fd, POLLIN, 0};
        if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        if (out.size() < max_output) out.append(buffer, static_cast<std::size_t>(n));
    }
}

}  // namespace detail

inline ToolRun run_tool(const std::string& program, const std::vector<std::string>& args,
                        std::chrono::milliseconds limit, std::size_t max_output = std::size_t{1024} * 1024) {
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
    ToolRun run;
    const bool timed_out =
        detail::read_until(pipe_fds[0], std::chrono::steady_clock::now() + limit, run.out, max_output);
    ::close(pipe_fds[0]);
    if (timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    const auto reap_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    pid_t reaped = 0;
    while ((reaped = ::waitpid(pid, &status, timed_out ? WNOHANG : 0)) == 0 &&
           std::chrono::steady_clock::now() < reap_deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (timed_out) {
        run.error = program + " did not answer within " + std::to_string(limit.count()) + " ms";
    } else if (reaped <= 0) {
        run.error = program + " could not be waited for";
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        run.error = program + " failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
    }
    return run;
}

}  // namespace envmgr::sdk
