// Compiled by ctest with -DWRONG_<METHOD>: a plugin whose optional method exists under its name
// but in the wrong form must not compile (and the error must say what to write), where the SDK
// used to drop the method silently. Without a -D it is the correct plugin and compiles.
#include <envmgr/sdk/sdk.h>

class Probe : public envmgr::sdk::ProbePlugin {
public:
    static constexpr const char* id = "probe.signature";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "test";
    static constexpr const char* probe_type = "signature";
#if defined(WRONG_CONFIG_SCHEMA)
    static constexpr const char* config_schema = "{}";
#else
    static const char* config_schema() {
        return "{}";
    }
#endif

    Probe(const envmgr::sdk::Host& host, const nlohmann::json&) : ProbePlugin(host) {}
    envmgr_operation_id check(const envmgr::sdk::ProbeSpec&, const envmgr::sdk::Completion&) {
        return 0;
    }
    void cancel(envmgr_operation_id) {}
#if defined(WRONG_STOP)
    void stop() {}
#else
    void stop(const envmgr::sdk::Completion& done) {
        done.ok();
    }
#endif
#if defined(WRONG_START)
    void start(int) {}
#else
    void start() {}
#endif
};

ENVMGR_EXPORT_PLUGIN(Probe)
