// Runs one check of a probe spec with the probe plugin of its type. The supervisor's only way to
// probe, so that it is tested with a fake runner and the daemon runs it on the plugins.
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/documents/probe.h>

#include <cstdint>
#include <functional>
#include <string>

namespace envmgr::host::health {

struct CheckOutcome {
    bool ran = false;  // false: the probe could not run (no plugin for the type, a bad spec)
    sdk::ProbeResult result;
    envmgr_status status = ENVMGR_STATUS_OK;  // when !ran
    std::string error;                        // when !ran
};

class ProbeRunner {
public:
    using Done = std::function<void(CheckOutcome)>;

    virtual ~ProbeRunner() = default;
    // done runs exactly once, on any thread, possibly inside this call. Returns an id for cancel
    // (0: done already ran).
    virtual std::uint64_t check(const sdk::ProbeSpec& spec, Done done) = 0;
    virtual void cancel(std::uint64_t id) = 0;
    // Whether a probe plugin handles this type (for configuration checks).
    [[nodiscard]] virtual bool has_type(const std::string& type) const = 0;
};

}  // namespace envmgr::host::health
