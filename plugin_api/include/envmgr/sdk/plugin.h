// Base classes a plugin author derives from. The export macro (export.h) turns the derived
// class into a descriptor; which optional methods exist is detected at compile time.
//
// Every plugin class provides:
//   static constexpr const char* id, version, description;
//   T(const envmgr::sdk::Host& host, const nlohmann::json& config);   // throw to refuse
// and may provide:
//   static const char* config_schema();        // JSON, see docs/plugin-config.md
//   void start();                               // throw to fail start-up
//   void stop(envmgr::sdk::Completion done);    // complete done when stopped
//
// Per kind (required unless marked optional):
//   service:  std::vector<ServiceDefinition> definitions();
//             envmgr_operation_id resolve(const std::string& service,
//                                         const nlohmann::json& context, Completion done);
//             void cancel(envmgr_operation_id);  (resolve and cancel: optional, together)
//   probe:    static constexpr const char* probe_type;
//             envmgr_operation_id check(const ProbeSpec& spec, Completion done);
//             or, with typed parameters of its own (probe_params.h):
//             using Params = MyParams;
//             envmgr_operation_id check(const ProbeSpec& spec, const Params& params, Completion done);
//             void cancel(envmgr_operation_id);
//   backend:  envmgr_operation_id invoke(std::string_view operation,
//                                        const nlohmann::json& request, Completion done);
//             void cancel(envmgr_operation_id);
//   frontend: std::string endpoint();           (optional)
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/completion.h>
#include <envmgr/sdk/host.h>

namespace envmgr::sdk {

class PluginBase {
public:
    explicit PluginBase(const Host& host) : host_(host) {}
    PluginBase(const PluginBase&) = delete;
    PluginBase& operator=(const PluginBase&) = delete;
    PluginBase(PluginBase&&) = delete;
    PluginBase& operator=(PluginBase&&) = delete;
    virtual ~PluginBase() = default;

    [[nodiscard]] const Host& host() const noexcept { return host_; }

private:
    Host host_;
};

// The base of a plugin of one kind: `kind` tells the export macro which table to build.
template <envmgr_plugin_kind Kind>
class KindPlugin : public PluginBase {
public:
    static constexpr envmgr_plugin_kind kind = Kind;
    using PluginBase::PluginBase;
};

// Classes rather than aliases, so that a derived class's constructor can name its base plainly
// (`: ServicePlugin(host)`).
class ServicePlugin : public KindPlugin<ENVMGR_PLUGIN_KIND_SERVICE> {
    using KindPlugin::KindPlugin;
};
class ProbePlugin : public KindPlugin<ENVMGR_PLUGIN_KIND_PROBE> {
    using KindPlugin::KindPlugin;
};
class BackendPlugin : public KindPlugin<ENVMGR_PLUGIN_KIND_BACKEND> {
    using KindPlugin::KindPlugin;
};
class FrontendPlugin : public KindPlugin<ENVMGR_PLUGIN_KIND_FRONTEND> {
    using KindPlugin::KindPlugin;
};

}  // namespace envmgr::sdk
