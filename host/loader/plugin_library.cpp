#include "host/loader/plugin_library.h"

#include <envmgr/sdk/struct_view.h>

#include <nlohmann/json.hpp>

#include <boost/dll/shared_library_load_mode.hpp>

#include <dlfcn.h>

#include <cstddef>
#include <cstring>
#include <set>
#include <utility>

namespace envmgr::host::loader {
namespace {

// The sizes this host needs: every field of ABI 1.0. A descriptor from a newer minor may
// be larger (its tail is ignored); a smaller one lacks fields the host calls.
constexpr std::size_t kDescriptorSizeNeeded = offsetof(envmgr_plugin_descriptor, kind_api) + sizeof(void*);
// The fields every major keeps first (abi.h): all that is read before the major is checked.
struct DescriptorHeader {
    std::uint32_t struct_size;
    std::uint16_t abi_major;
    std::uint16_t abi_minor;
};
static_assert(offsetof(envmgr_plugin_descriptor, abi_minor) + sizeof(std::uint16_t) ==
              sizeof(DescriptorHeader));
constexpr std::size_t kDescriptorHeaderSize = sizeof(DescriptorHeader);

std::string describe(const envmgr_plugin_descriptor& d) {
    return d.id != nullptr && *d.id != '\0' ? "plugin '" + std::string(d.id) + "'" : "plugin";
}

std::string abi_text(unsigned major, unsigned minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

bool valid_kind(int kind) {
    return kind >= ENVMGR_PLUGIN_KIND_SERVICE && kind <= ENVMGR_PLUGIN_KIND_FRONTEND;
}

// Dotted, category first, and the category is the kind: "backend.docker".
std::string check_id(const envmgr_plugin_descriptor& d) {
    if (d.id == nullptr || *d.id == '\0') return "the descriptor has no id";
    const std::string id = d.id;
    const std::string category(kind_name(d.kind));
    if (!id.starts_with(category + ".") || id.size() == category.size() + 1) {
        return "id '" + id + "' must be '" + category + ".<name>' for a " + category + " plugin";
    }
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        if (!ok) return "id '" + id + "' may hold only a-z, 0-9, '.', '-' and '_'";
    }
    return {};
}

template <typename Api>
std::string read_kind_api(const envmgr_plugin_descriptor& d, std::size_t size_needed, Api& out) {
    out = sdk::read_sized_struct<Api>(d.kind_api);
    if (out.struct_size < size_needed) {
        return std::string(kind_name(d.kind)) + " table is " + std::to_string(out.struct_size) +
               " bytes, this host needs at least " + std::to_string(size_needed);
    }
    return {};
}

std::string check_kind_api(const envmgr_plugin_descriptor& d, PluginLibrary& lib) {
    if (d.kind_api == nullptr) return "the descriptor has no kind_api table";
    switch (d.kind) {
        case ENVMGR_PLUGIN_KIND_SERVICE: {
            auto error =
                read_kind_api(d, offsetof(envmgr_service_api, cancel) + sizeof(void*), lib.service_api);
            if (!error.empty()) return error;
            if (lib.service_api.definitions == nullptr) return "symbol not implemented: definitions";
            if ((lib.service_api.resolve == nullptr) != (lib.service_api.cancel == nullptr)) {
                return "resolve and cancel must be implemented together";
            }
            return {};
        }
        case ENVMGR_PLUGIN_KIND_PROBE: {
            auto error = read_kind_api(d, offsetof(envmgr_probe_api, cancel) + sizeof(void*), lib.probe_api);
            if (!error.empty()) return error;
            if (lib.probe_api.probe_type == nullptr || *lib.probe_api.probe_type == '\0') {
                return "the probe table has no probe_type";
            }
            if (lib.probe_api.check == nullptr) return "symbol not implemented: check";
            if (lib.probe_api.cancel == nullptr) return "symbol not implemented: cancel";
            return {};
        }
        case ENVMGR_PLUGIN_KIND_BACKEND: {
            auto error =
                read_kind_api(d, offsetof(envmgr_backend_api, cancel) + sizeof(void*), lib.backend_api);
            if (!error.empty()) return error;
            if (lib.backend_api.invoke == nullptr) return "symbol not implemented: invoke";
            if (lib.backend_api.cancel == nullptr) return "symbol not implemented: cancel";
            return {};
        }
        case ENVMGR_PLUGIN_KIND_FRONTEND:
            return read_kind_api(d, offsetof(envmgr_frontend_api, endpoint) + sizeof(void*),
                                 lib.frontend_api);
    }
    return "unknown kind";
}

// The configuration schema is data the host acts on: a malformed one refuses the plugin.
std::string check_config_schema(const envmgr_plugin_descriptor& d) {
    if (d.config_schema_json == nullptr) return {};
    const auto schema = nlohmann::json::parse(d.config_schema_json, nullptr, false);
    if (!schema.is_object()) return "config schema is not a JSON object";
    static const std::set<std::string> types{"string", "integer", "number", "boolean", "array", "table"};
    for (const auto& [key, spec] : schema.items()) {
        if (!spec.is_object()) return "config schema: '" + key + "' is not an object";
        const auto type = spec.find("type");
        if (type == spec.end() || !type->is_string() || !types.contains(type->get<std::string>())) {
            return "config schema: '" + key +
                   "' needs a type: string, integer, number, boolean, array or table";
        }
        for (const char* name : {"env", "host_key"}) {
            const auto field = spec.find(name);
            if (field != spec.end() && !field->is_string()) {
                return "config schema: '" + key + "'." + name + " must be a string";
            }
        }
    }
    return {};
}

// Reads and checks the descriptor an entry point returned; "" and the descriptor (read at the
// host's size) when it may be used, else why not.
std::string check_descriptor(const envmgr_plugin_descriptor* raw, std::uint16_t host_minor,
                             envmgr_plugin_descriptor& out) {
    // Only the fields frozen across majors are read before the major is known to match: a
    // descriptor of another major may have any layout after them.
    DescriptorHeader header{};
    std::memcpy(&header.struct_size, raw, sizeof header.struct_size);
    if (header.struct_size < kDescriptorHeaderSize) {
        return "descriptor too small to hold its version (" + std::to_string(header.struct_size) + " bytes)";
    }
    std::memcpy(&header, raw, sizeof header);
    if (header.abi_major != ENVMGR_ABI_VERSION_MAJOR) {
        return "ABI major versions disagree: plugin " + abi_text(header.abi_major, header.abi_minor) +
               ", host " + abi_text(ENVMGR_ABI_VERSION_MAJOR, ENVMGR_ABI_VERSION_MINOR);
    }
    const auto d = sdk::read_sized_struct<envmgr_plugin_descriptor>(raw);
    if (d.abi_minor > host_minor) {
        return describe(d) + ": needs ABI " + abi_text(d.abi_major, d.abi_minor) + ", this host provides " +
               abi_text(ENVMGR_ABI_VERSION_MAJOR, host_minor);
    }
    if (d.struct_size < kDescriptorSizeNeeded) {
        return describe(d) + ": descriptor is " + std::to_string(d.struct_size) +
               " bytes, this host needs at least " + std::to_string(kDescriptorSizeNeeded);
    }
    if (!valid_kind(d.kind)) {
        return describe(d) + ": unknown plugin kind " + std::to_string(static_cast<int>(d.kind));
    }
    if (auto problem = check_id(d); !problem.empty()) return problem;
    if (d.create == nullptr) return describe(d) + ": symbol not implemented: create";
    if (d.destroy == nullptr) return describe(d) + ": symbol not implemented: destroy";
    if (auto problem = check_config_schema(d); !problem.empty()) return describe(d) + ": " + problem;
    out = d;
    return {};
}

// Marks an already loaded library RTLD_NODELETE: glibc then never unmaps it, whatever closes it.
bool pin_loaded(const std::filesystem::path& file) {
    return ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD | RTLD_NODELETE) != nullptr;
}

}  // namespace

PluginLibrary::PluginLibrary(boost::dll::shared_library library, const envmgr_plugin_descriptor& descriptor,
                             PluginInfo info)
    : library_(std::move(library)), descriptor_(descriptor), info_(std::move(info)) {}

LoadOutcome load_plugin_library(const std::filesystem::path& file, std::uint16_t host_minor) {
    boost::dll::shared_library library;
    boost::dll::fs::error_code ec;
    // RTLD_LOCAL keeps plugins' symbols apart; RTLD_NOW reports a missing symbol here, not
    // in the middle of a call.
    library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
    if (ec) {
        const char* detail = ::dlerror();  // boost keeps dlopen's own reason there
        return {nullptr, "not a loadable shared library: " +
                             std::string(detail != nullptr && *detail ? detail : ec.message())};
    }
    if (!library.has(ENVMGR_PLUGIN_ENTRY_SYMBOL)) {
        return {nullptr, "no entry point: the library does not export '" ENVMGR_PLUGIN_ENTRY_SYMBOL "'"};
    }
    const auto entry = library.get<std::remove_pointer_t<envmgr_plugin_entry_fn>>(ENVMGR_PLUGIN_ENTRY_SYMBOL);

    const envmgr_plugin_descriptor* raw = nullptr;
    try {
        raw = entry(ENVMGR_ABI_VERSION_MAJOR, host_minor);
    } catch (const std::exception& e) {  // a C entry point must not throw; one that does is refused
        return {nullptr, std::string("the entry point threw an exception: ") + e.what()};
    } catch (...) {
        return {nullptr, "the entry point threw an exception"};
    }
    if (raw == nullptr) {
        return {nullptr, "the entry point returned no descriptor (the plugin declined this host)"};
    }

    envmgr_plugin_descriptor d{};
    if (auto problem = check_descriptor(raw, host_minor, d); !problem.empty()) return {nullptr, problem};

    PluginInfo info{d.id,
                    d.kind,
                    d.version != nullptr ? d.version : "",
                    d.description != nullptr ? d.description : "",
                    d.abi_major,
                    d.abi_minor,
                    file.string()};
    if ((d.flags & ENVMGR_PLUGIN_FLAG_NEVER_UNLOAD) != 0U && !pin_loaded(file)) {
        return {nullptr, describe(d) + ": asks never to be unloaded, and pinning it failed: " +
                             std::string(::dlerror())};
    }
    auto loaded = std::make_shared<PluginLibrary>(std::move(library), d, std::move(info));
    if (auto problem = check_kind_api(d, *loaded); !problem.empty()) {
        return {nullptr, describe(d) + ": " + problem};
    }
    return {loaded, {}};
}

}  // namespace envmgr::host::loader
