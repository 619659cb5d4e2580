// A probe kind's own parameters, typed: the `params` section of a probe spec belongs to the
// kind that checks it (as each of Envoy's health checkers has its own config message), so a
// probe plugin declares a struct for it instead of reusing fields of other kinds.
//
//   struct PgParams { bool require_ssl = false; };
//   NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PgParams, require_ssl)
//   std::vector<std::string> validate(const PgParams&);        // optional, found by ADL
//
//   class PgProbe : public envmgr::sdk::ProbePlugin {
//       using Params = PgParams;
//       envmgr_operation_id check(const ProbeSpec&, const Params&, Completion);
//   };
//
// The SDK reads `params` into Params before check runs: a key the struct does not have, or a
// value of another JSON type than the field's default, is ENVMGR_STATUS_INVALID naming the
// field ("params.require_ssl: expected a boolean, got a string"); a missing key keeps its
// default; then validate's first error, prefixed with "params.".
#pragma once

#include <envmgr/sdk/documents/document_fields.h>
#include <envmgr/sdk/status.h>

#include <nlohmann/json.hpp>

#include <concepts>
#include <string>
#include <vector>

namespace envmgr::sdk {
namespace detail {

// Whether `value` may stand where the field's default is: the same JSON type, any number for
// a floating-point field, anything for a field whose default is null.
inline bool same_kind(const nlohmann::json& field_default, const nlohmann::json& value) {
    if (field_default.is_null()) return true;
    if (field_default.is_number_float()) return value.is_number();
    if (field_default.is_number_integer()) return value.is_number_integer();
    return field_default.type() == value.type();
}

template <typename Params>
std::string known_keys() {
    std::string text;
    for (const auto& name : field_names<Params>()) text += (text.empty() ? "" : ", ") + name;
    return text.empty() ? "none" : text;
}

template <typename Params>
concept ValidatesItself = requires(const Params& params) {
    { validate(params) } -> std::convertible_to<std::vector<std::string>>;
};

}  // namespace detail

// Throws Error(ENVMGR_STATUS_INVALID, "params.<field>: ...") on the first problem.
template <typename Params>
Params read_probe_params(const nlohmann::json& params) {
    if (params.is_null()) return Params{};
    if (!params.is_object()) throw Error(ENVMGR_STATUS_INVALID, "params: expected an object");
    const nlohmann::json defaults = Params{};
    for (const auto& [key, value] : params.items()) {
        const auto field = defaults.find(key);
        if (field == defaults.end()) {
            throw Error(ENVMGR_STATUS_INVALID, "params." + key + ": not a parameter of this probe (it has: " +
                                                   detail::known_keys<Params>() + ")");
        }
        if (!detail::same_kind(*field, value)) {
            throw Error(ENVMGR_STATUS_INVALID,
                        "params." + key + ": expected " + json_kind(*field) + ", got " + json_kind(value));
        }
    }
    Params read = params.get<Params>();
    if constexpr (detail::ValidatesItself<Params>) {
        if (const std::vector<std::string> errors = validate(read); !errors.empty()) {
            throw Error(ENVMGR_STATUS_INVALID, "params." + errors.front());
        }
    }
    return read;
}

}  // namespace envmgr::sdk
