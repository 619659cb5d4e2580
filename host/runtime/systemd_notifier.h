// systemd's service manager protocol (Type=notify, sd_notify(3) through libsystemd): READY=1
// once the daemon serves, STATUS= lines a person reads in `systemctl status`, RELOADING=1 and
// READY=1 around a reload, STOPPING=1 at shutdown, and WATCHDOG=1 pings when the unit sets
// WatchdogSec=. Not started by systemd (no NOTIFY_SOCKET): every call does nothing. Any thread.
#pragma once

#include <chrono>
#include <string>

namespace envmgr::host::runtime {

class SystemdNotifier {
public:
    // Reads NOTIFY_SOCKET and WATCHDOG_USEC once.
    SystemdNotifier();

    void ready(const std::string& status) const;
    void status(const std::string& status) const;
    void reloading() const;
    void stopping() const;
    void watchdog() const;
    // How often to ping: half of the watchdog timeout systemd set; zero when it set none.
    [[nodiscard]] std::chrono::microseconds watchdog_interval() const { return watchdog_interval_; }

private:
    void send(const std::string& state) const;

    bool enabled_ = false;
    std::chrono::microseconds watchdog_interval_{0};
};

}  // namespace envmgr::host::runtime
