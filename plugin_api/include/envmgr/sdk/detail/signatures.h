// Which optional methods a plugin class has, found by name, and the exact forms the SDK calls
// them in. A method that exists under its name but in another form is a compile error that
// says what to write (as Falco's plugin SDK does), never a method silently left out.
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/completion.h>

#include <nlohmann/json.hpp>

#include <concepts>
#include <cstdint>
#include <string>

namespace envmgr::sdk::detail {

// Found by name: a (not overloaded) member of that name exists, whatever its form.
template <typename T>
concept NamesConfigSchema = requires {
    &T::config_schema;
};
template <typename T>
concept NamesStart = requires {
    &T::start;
};
template <typename T>
concept NamesStop = requires {
    &T::stop;
};
template <typename T>
concept NamesResolve = requires {
    &T::resolve;
};
template <typename T>
concept NamesEndpoint = requires {
    &T::endpoint;
};
template <typename T>
concept NamesFlags = requires {
    &T::flags;
};
// A probe plugin with its own typed parameters (probe_params.h): `using Params = ...;`.
template <typename T>
concept HasProbeParams = requires {
    typename T::Params;
};

// The forms the SDK calls.
template <typename T>
concept ConfigSchemaForm = requires {
    { T::config_schema() } -> std::same_as<const char*>;
};
template <typename T>
concept StartForm = requires(T& plugin) {
    { plugin.start() } -> std::same_as<void>;
};
template <typename T>
concept StopForm = requires(T& plugin, Completion done) {
    { plugin.stop(done) } -> std::same_as<void>;
};
template <typename T>
concept ResolveForm = requires(T& plugin, const std::string& name, const nlohmann::json& context,
                               Completion done, envmgr_operation_id id) {
    { plugin.resolve(name, context, done) } -> std::same_as<envmgr_operation_id>;
    { plugin.cancel(id) } -> std::same_as<void>;
};
template <typename T>
concept EndpointForm = requires(T& plugin) {
    { plugin.endpoint() } -> std::convertible_to<std::string>;
};
template <typename T>
concept FlagsForm = requires {
    { T::flags } -> std::convertible_to<std::uint32_t>;
};

// Instantiated by the export macro for every plugin class: each optional method it names has
// the form the SDK calls.
template <typename T>
constexpr bool check_optional_methods() {
    if constexpr (NamesConfigSchema<T>) {
        static_assert(ConfigSchemaForm<T>,
                      "envmgr SDK: config_schema must be a function: static const char* config_schema()");
    }
    if constexpr (NamesStart<T>) {
        static_assert(StartForm<T>, "envmgr SDK: start must be: void start()  (throw to fail start-up)");
    }
    if constexpr (NamesStop<T>) {
        static_assert(
            StopForm<T>,
            "envmgr SDK: stop must be: void stop(envmgr::sdk::Completion done)  (complete done when "
            "stopped)");
    }
    if constexpr (NamesResolve<T>) {
        static_assert(
            ResolveForm<T>,
            "envmgr SDK: resolve must be: envmgr_operation_id resolve(const std::string& service, const "
            "nlohmann::json& context, envmgr::sdk::Completion done), with void "
            "cancel(envmgr_operation_id)");
    }
    if constexpr (NamesEndpoint<T>) {
        static_assert(EndpointForm<T>, "envmgr SDK: endpoint must be: std::string endpoint()");
    }
    if constexpr (NamesFlags<T>) {
        static_assert(
            FlagsForm<T>,
            "envmgr SDK: flags must be: static constexpr std::uint32_t flags = ENVMGR_PLUGIN_FLAG_...");
    }
    return true;
}

}  // namespace envmgr::sdk::detail
