#include "plugins/backends/docker/exec_process_kill.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <unistd.h>

namespace envmgr::plugins::backends::docker {
namespace {

std::string pid_namespace_of(long pid) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/ns/pid", ec);
    return ec ? std::string() : target.string();
}

}  // namespace

std::string kill_exec_process(long exec_pid, long container_pid) {
    if (exec_pid <= 0) return "its process had already ended";
    const std::string exec_ns = pid_namespace_of(exec_pid);
    // A PID that is not the container's here would be some other process of ours: never signal it.
    if (exec_ns.empty() || container_pid <= 0 || exec_ns != pid_namespace_of(container_pid) ||
        exec_ns == pid_namespace_of(static_cast<long>(::getpid()))) {
        return "its process (engine PID " + std::to_string(exec_pid) +
               ") could not be killed from here: the engine's processes are not visible to env-manager";
    }
    if (::kill(static_cast<pid_t>(exec_pid), SIGKILL) == 0) {
        return "its process (engine PID " + std::to_string(exec_pid) + ") was killed";
    }
    if (errno == ESRCH) return "its process had already ended";
    return "killing its process (engine PID " + std::to_string(exec_pid) +
           ") failed: " + std::strerror(errno);
}

}  // namespace envmgr::plugins::backends::docker
