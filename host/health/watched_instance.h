// One watched container of a service: its probe loops (or, without a probe, the settle timer),
// the all-probes-pass rule applied to their answers, the engine's events (a die or a removal ends
// its health at once), and the status a reader asks for. Changes happen on its own strand, so
// one instance's transitions never overlap and come in order.
#pragma once

#include "host/health/container_events.h"
#include "host/health/health_types.h"
#include "host/health/probe_loop.h"
#include "host/health/supervisor_shared.h"

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace envmgr::host::health {

class WatchedInstance : public std::enable_shared_from_this<WatchedInstance> {
public:
    WatchedInstance(std::weak_ptr<SupervisorShared> shared, std::uint64_t watch_id, WatchTarget watched,
                    Strand strand);

    [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
    [[nodiscard]] const WatchTarget& target() const noexcept { return target_; }
    [[nodiscard]] const Strand& strand() const noexcept { return strand_; }
    [[nodiscard]] HealthStatus status() const;  // any thread
    // Moves after the message of one of its checks changed (any thread); shared, so a reader
    // that keeps it reads it without finding the watch again.
    [[nodiscard]] std::shared_ptr<const std::atomic<std::uint64_t>> messages_version() const noexcept {
        return messages_version_;
    }

    // On the strand: begin() starts the checks (nothing once it ended), halt() ends them,
    // on_event() takes an engine event about the container.
    void begin();
    void halt();
    void on_event(const ContainerEvent& event);

private:
    void settle_without_probe(Millis settle);
    void on_answer(const ProbeLoop& probe, const sdk::ProbeResult& result, bool changed);
    void set_state(HealthState to, std::string_view kind, const std::string& reason,
                   const std::string& probe_name);
    [[nodiscard]] HealthState current_state() const;
    [[nodiscard]] Millis ran_for() const;

    std::weak_ptr<SupervisorShared> shared_;
    std::uint64_t id_;
    WatchTarget target_;
    Strand strand_;
    boost::asio::steady_timer settle_timer_;          // no probe: when running long enough makes it ready
    std::vector<std::shared_ptr<ProbeLoop>> probes_;  // strand only
    bool stopped_ = false;                            // strand only
    bool oom_ = false;                                // strand only

    mutable std::mutex status_mutex_;
    HealthStatus status_;
    std::shared_ptr<std::atomic<std::uint64_t>> messages_version_ =
        std::make_shared<std::atomic<std::uint64_t>>(0);
};

}  // namespace envmgr::host::health
