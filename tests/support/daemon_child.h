// The env-manager binary as a child process, as the C++ end-to-end tests and the gRPC benchmark
// run it: the caller's environment without its ENV_MANAGER_* and RUST_LOG settings, then the
// run's own; output to a log file; stopped with SIGTERM (SIGKILL after a grace period) when
// this goes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace envmgr::tests {

class DaemonChild {
public:
    DaemonChild() = default;
    DaemonChild(const DaemonChild&) = delete;
    DaemonChild& operator=(const DaemonChild&) = delete;
    ~DaemonChild() { stop(std::chrono::seconds(60)); }

    // Returns "" or why it could not start.
    std::string spawn(const std::string& binary, const std::map<std::string, std::string>& environment,
                      const std::filesystem::path& log_path);

    [[nodiscard]] pid_t pid() const { return pid_; }
    // False once it has exited (it is reaped then).
    bool running();
    // Its wait status, or nothing when it was not running.
    std::optional<int> stop(std::chrono::seconds grace);
    [[nodiscard]] std::string log() const;

private:
    pid_t pid_ = -1;
    std::filesystem::path log_path_;
};

// Whether a unix socket accepts a connection (a daemon's gRPC address is up).
bool unix_socket_accepts(const std::string& path);

// A fresh folder under the temporary directory.
std::filesystem::path make_scratch_dir(const std::string& prefix);

// VmRSS of a process in KiB; 0 when it cannot be read.
long rss_kib(pid_t pid);

}  // namespace envmgr::tests
