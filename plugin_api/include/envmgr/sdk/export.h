// Turns a plugin class into an ABI descriptor: ENVMGR_EXPORT_PLUGIN(MyPlugin) in one source file.
// Every call into the plugin is wrapped so that no exception crosses the boundary.
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/completion.h>
#include <envmgr/sdk/detail/instance.h>
#include <envmgr/sdk/detail/signatures.h>
#include <envmgr/sdk/documents.h>
#include <envmgr/sdk/host.h>
#include <envmgr/sdk/plugin.h>
#include <envmgr/sdk/probe_params.h>
#include <envmgr/sdk/status.h>

#include <nlohmann/json.hpp>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

// The lowest host ABI minor this plugin needs. The SDK itself reads every host table at the
// host's size, so it works with any 1.x host (host functions the host lacks answer
// UNSUPPORTED); a plugin that cannot work without a host function added in a later minor
// defines this to that minor before including the SDK.
#ifndef ENVMGR_PLUGIN_MIN_ABI_MINOR
#define ENVMGR_PLUGIN_MIN_ABI_MINOR 0
#endif

namespace envmgr::sdk::detail {

template <typename T>
struct Trampolines {
    static envmgr_status create(const envmgr_host_api* api, const char* config_json,
                                envmgr_plugin_instance** out, char* error, size_t error_size) noexcept {
        if (out == nullptr) return ENVMGR_STATUS_INVALID;
        *out = nullptr;
        return guarded_sync(error, error_size, [&] {
            const auto config = (config_json == nullptr || *config_json == '\0')
                                    ? nlohmann::json::object()
                                    : nlohmann::json::parse(config_json);
            // guarded_sync catches what new throws; clang-tidy cannot see through the lambda.
            // NOLINTNEXTLINE(bugprone-unhandled-exception-at-new)
            *out = reinterpret_cast<envmgr_plugin_instance*>(new Instance<T>(api, config));
        });
    }

    // Destructors are noexcept: a plugin whose destructor throws terminates, as in any C++.
    static void destroy(envmgr_plugin_instance* self) noexcept { delete self_of<T>(self); }

    static envmgr_status start(envmgr_plugin_instance* self, char* error, size_t error_size) noexcept {
        return guarded_sync(error, error_size, [&] { self_of<T>(self)->plugin.start(); });
    }

    static void stop(envmgr_plugin_instance* self, const envmgr_callbacks* callbacks) noexcept {
        guarded_async(callbacks, [&](Completion& done) -> envmgr_operation_id {
            self_of<T>(self)->plugin.stop(done);
            return 0;
        });
    }

    static const char* last_error(envmgr_plugin_instance* self) noexcept {
        const auto& text = self_of<T>(self)->last_error;
        return text.empty() ? nullptr : text.c_str();
    }

    // service
    static const char* definitions(envmgr_plugin_instance* self) noexcept {
        auto* instance = self_of<T>(self);
        return cached_text(*instance, instance->definitions_json, [&] {
            const std::vector<ServiceDefinition> defs = instance->plugin.definitions();
            return nlohmann::json(defs).dump();
        });
    }
    static envmgr_operation_id resolve(envmgr_plugin_instance* self, const char* service,
                                       const char* context_json, const envmgr_callbacks* callbacks) noexcept {
        return guarded_async(callbacks, [&](Completion& done) {
            const auto context = parse_object(context_json, "context");
            return self_of<T>(self)->plugin.resolve(service != nullptr ? service : "", context, done);
        });
    }

    // probe
    static envmgr_operation_id check(envmgr_plugin_instance* self, const char* spec_json,
                                     const envmgr_callbacks* callbacks) noexcept {
        return guarded_async(callbacks, [&](Completion& done) {
            const ProbeSpec spec = parse_object(spec_json, "probe spec").get<ProbeSpec>();
            if (const auto errors = validate(spec); !errors.empty()) {
                throw Error(ENVMGR_STATUS_INVALID, "probe spec: " + errors.front());
            }
            if constexpr (HasProbeParams<T>) {
                const auto params = read_probe_params<typename T::Params>(spec.params);
                return self_of<T>(self)->plugin.check(spec, params, done);
            } else {
                return self_of<T>(self)->plugin.check(spec, done);
            }
        });
    }

    // backend
    static envmgr_operation_id invoke(envmgr_plugin_instance* self, const char* operation,
                                      const char* request_json, const envmgr_callbacks* callbacks) noexcept {
        return guarded_async(callbacks, [&](Completion& done) {
            const auto request = parse_object(request_json, "request");
            return self_of<T>(self)->plugin.invoke(operation != nullptr ? operation : "", request, done);
        });
    }

    static void cancel(envmgr_plugin_instance* self, envmgr_operation_id id) noexcept {
        try {
            self_of<T>(self)->plugin.cancel(id);
        } catch (...) {
        }
    }

    // frontend
    static const char* endpoint(envmgr_plugin_instance* self) noexcept {
        auto* instance = self_of<T>(self);
        return cached_text(*instance, instance->endpoint_text,
                           [&] { return std::string(instance->plugin.endpoint()); });
    }
};

template <typename T>
const void* kind_api_for() noexcept {
    using Tr = Trampolines<T>;
    if constexpr (T::kind == ENVMGR_PLUGIN_KIND_SERVICE) {
        static_assert(
            requires(T & p) {
                { p.definitions() } -> std::convertible_to<std::vector<ServiceDefinition>>;
            },
            "a service plugin needs: std::vector<envmgr::sdk::ServiceDefinition> definitions()");
        if constexpr (NamesResolve<T>) {
            static const envmgr_service_api api{sizeof(envmgr_service_api), &Tr::definitions, &Tr::resolve,
                                                &Tr::cancel};
            return &api;
        } else {
            static const envmgr_service_api api{sizeof(envmgr_service_api), &Tr::definitions, nullptr,
                                                nullptr};
            return &api;
        }
    } else if constexpr (T::kind == ENVMGR_PLUGIN_KIND_PROBE) {
        static_assert(
            requires {
                { T::probe_type } -> std::convertible_to<const char*>;
            },
            "a probe plugin needs: static constexpr const char* probe_type");
        if constexpr (HasProbeParams<T>) {
            static_assert(
                requires(T & p, const ProbeSpec& spec, const typename T::Params& params, Completion done) {
                    { p.check(spec, params, done) } -> std::convertible_to<envmgr_operation_id>;
                },
                "a probe plugin with `using Params = ...` needs: envmgr_operation_id check(const ProbeSpec&, "
                "const Params&, Completion)");
        } else {
            static_assert(
                requires(T & p, const ProbeSpec& spec, Completion done) {
                    { p.check(spec, done) } -> std::convertible_to<envmgr_operation_id>;
                },
                "a probe plugin needs: envmgr_operation_id check(const ProbeSpec&, Completion)");
        }
        static_assert(
            requires(T & p, envmgr_operation_id id) { p.cancel(id); },
            "a probe plugin needs: void cancel(envmgr_operation_id)");
        static const envmgr_probe_api api{sizeof(envmgr_probe_api), T::probe_type, &Tr::check, &Tr::cancel};
        return &api;
    } else if constexpr (T::kind == ENVMGR_PLUGIN_KIND_BACKEND) {
        static_assert(
            requires(T & p, std::string_view op, const nlohmann::json& req, Completion done) {
                { p.invoke(op, req, done) } -> std::convertible_to<envmgr_operation_id>;
            },
            "a backend plugin needs: envmgr_operation_id invoke(std::string_view, const nlohmann::json&, "
            "Completion)");
        static_assert(
            requires(T & p, envmgr_operation_id id) { p.cancel(id); },
            "a backend plugin needs: void cancel(envmgr_operation_id)");
        static const envmgr_backend_api api{sizeof(envmgr_backend_api), &Tr::invoke, &Tr::cancel};
        return &api;
    } else {
        if constexpr (NamesEndpoint<T>) {
            static const envmgr_frontend_api api{sizeof(envmgr_frontend_api), &Tr::endpoint};
            return &api;
        } else {
            static const envmgr_frontend_api api{sizeof(envmgr_frontend_api), nullptr};
            return &api;
        }
    }
}

template <typename T>
const envmgr_plugin_descriptor* descriptor_for() noexcept {
    static_assert(std::is_base_of_v<PluginBase, T>,
                  "derive the plugin from envmgr::sdk::ServicePlugin, ProbePlugin, BackendPlugin "
                  "or FrontendPlugin");
    static_assert(
        requires {
            { T::id } -> std::convertible_to<const char*>;
            { T::version } -> std::convertible_to<const char*>;
            { T::description } -> std::convertible_to<const char*>;
        },
        "a plugin needs: static constexpr const char* id, version, description");
    static_assert(std::is_constructible_v<T, const Host&, const nlohmann::json&>,
                  "a plugin needs the constructor T(const envmgr::sdk::Host&, const nlohmann::json& config)");
    static_assert(check_optional_methods<T>());
    using Tr = Trampolines<T>;
    static const envmgr_plugin_descriptor descriptor{
        sizeof(envmgr_plugin_descriptor),
        ENVMGR_ABI_VERSION_MAJOR,
        ENVMGR_PLUGIN_MIN_ABI_MINOR,
        T::kind,
        T::id,
        T::version,
        T::description,
        [] {
            if constexpr (NamesConfigSchema<T>) return T::config_schema();
            return static_cast<const char*>(nullptr);
        }(),
        &Tr::create,
        &Tr::destroy,
        []() -> decltype(envmgr_plugin_descriptor::start) {
            // Only referenced when T has the method, so the trampoline is not instantiated
            // for plugins without it.
            if constexpr (NamesStart<T>) return &Tr::start;
            return static_cast<decltype(envmgr_plugin_descriptor::start)>(nullptr);
        }(),
        []() -> decltype(envmgr_plugin_descriptor::stop) {
            if constexpr (NamesStop<T>) return &Tr::stop;
            return static_cast<decltype(envmgr_plugin_descriptor::stop)>(nullptr);
        }(),
        kind_api_for<T>(),
        &Tr::last_error,
        [] {
            if constexpr (NamesFlags<T>) return static_cast<std::uint32_t>(T::flags);
            return std::uint32_t{0};
        }(),
    };
    return &descriptor;
}

}  // namespace envmgr::sdk::detail

// Exports PluginClass as this library's plugin. Use once, in one source file. The descriptor
// is returned whatever the host's version, so that a host refusing it can say which plugin
// and which versions disagree.
#define ENVMGR_EXPORT_PLUGIN(PluginClass)                                                                  \
    extern "C" __attribute__((visibility("default"))) const envmgr_plugin_descriptor* envmgr_plugin_entry( \
        uint16_t /*host_abi_major*/, uint16_t /*host_abi_minor*/) {                                        \
        return ::envmgr::sdk::detail::descriptor_for<PluginClass>();                                       \
    }
