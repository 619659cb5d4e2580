// The ProbeRunner of the daemon: each check goes to the probe plugin whose probe_type is the
// spec's type, through the ABI.
#pragma once

#include "host/health/probe_runner.h"
#include "host/loader/plugin_instance.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace envmgr::host::health {

class PluginProbeRunner : public ProbeRunner {
public:
    // The probe plugin for a type, or null (looked up per check: plugins may stop meanwhile).
    using ProbeLookup = std::function<std::shared_ptr<loader::PluginInstance>(const std::string& type)>;

    explicit PluginProbeRunner(ProbeLookup lookup);

    std::uint64_t check(const sdk::ProbeSpec& spec, Done done) override;
    void cancel(std::uint64_t id) override;
    [[nodiscard]] bool has_type(const std::string& type) const override;

private:
    struct Pending;

    ProbeLookup lookup_;
    std::mutex mutex_;
    std::map<std::uint64_t, std::shared_ptr<Pending>> pending_;
    std::uint64_t next_id_ = 1;
};

}  // namespace envmgr::host::health
