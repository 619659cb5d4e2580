#include "host/runtime/systemd_notifier.h"

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>

namespace envmgr::host::runtime {

SystemdNotifier::SystemdNotifier() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    enabled_ = socket != nullptr && *socket != '\0';
    std::uint64_t timeout = 0;
    // > 0: systemd asked this process (WATCHDOG_PID matches, or is unset) for pings.
    if (enabled_ && sd_watchdog_enabled(0, &timeout) > 0 && timeout > 0) {
        watchdog_interval_ = std::chrono::microseconds(timeout / 2);
    }
}

void SystemdNotifier::send(const std::string& state) const {
    if (enabled_) sd_notify(0, state.c_str());
}

void SystemdNotifier::ready(const std::string& status) const {
    send("READY=1\nSTATUS=" + status);
}

void SystemdNotifier::status(const std::string& status) const {
    send("STATUS=" + status);
}

void SystemdNotifier::reloading() const {
    // MONOTONIC_USEC lets systemd (253+, Type=notify-reload) tell this reload from an older one.
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const auto usec =
        static_cast<std::uint64_t>(now.tv_sec) * 1000000U + static_cast<std::uint64_t>(now.tv_nsec) / 1000U;
    send("RELOADING=1\nSTATUS=reloading the configuration\nMONOTONIC_USEC=" + std::to_string(usec));
}

void SystemdNotifier::stopping() const {
    send("STOPPING=1\nSTATUS=stopping");
}

void SystemdNotifier::watchdog() const {
    send("WATCHDOG=1");
}

}  // namespace envmgr::host::runtime
