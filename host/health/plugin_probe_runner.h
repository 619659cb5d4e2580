// The ProbeRunner of the daemon: each check goes to the probe plugin whose probe_type is the
// spec's type, through its handle (host/loader keeps the checks in flight).
#pragma once

#include "host/health/probe_runner.h"
#include "host/loader/plugin_manager.h"

namespace envmgr::host::health {

class PluginProbeRunner : public ProbeRunner {
public:
    // The probe plugin is looked up per check: plugins may stop meanwhile.
    explicit PluginProbeRunner(const loader::PluginManager& plugins) : plugins_(plugins) {}

    std::uint64_t check(const sdk::ProbeSpec& spec, Done done) override;
    void cancel(std::uint64_t id) override { plugins_.cancel_call(id); }
    [[nodiscard]] bool has_type(const std::string& type) const override;

private:
    const loader::PluginManager& plugins_;
};

}  // namespace envmgr::host::health
