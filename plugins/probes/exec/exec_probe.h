// probe.exec: readiness by a command run inside the service's container through the host's
// backend (container.exec); exit code 0 is ready. Exec is expensive (a process in the
// container each time, about 69 ms and real CPU there), so host-side tcp/http probes are preferred for
// readiness and exec kept for what needs it.
#pragma once

#include <envmgr/sdk/sdk.h>

#include <atomic>
#include <map>
#include <mutex>

namespace envmgr::plugins::probes::exec {

class ExecProbe : public sdk::ProbePlugin {
public:
    static constexpr const char* id = "probe.exec";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "a command run in the service's container; exit 0 is ready";
    static constexpr const char* probe_type = "exec";

    ExecProbe(const sdk::Host& host, const nlohmann::json& config);

    envmgr_operation_id check(const sdk::ProbeSpec& spec, const sdk::Completion& done);
    void cancel(envmgr_operation_id check_id);
    void stop(const sdk::Completion& done);

private:
    struct Pending {
        sdk::Completion done;
        envmgr_operation_id backend_id = 0;  // 0 until backend_invoke returned
        bool cancel_requested = false;
    };

    void finish(envmgr_operation_id check_id, const sdk::Result& result, double latency_ms);

    std::mutex mutex_;
    std::map<envmgr_operation_id, Pending> pending_;
    std::atomic<envmgr_operation_id> next_id_{1};
};

}  // namespace envmgr::plugins::probes::exec
