// Fuzzes the Compose reader as the registry uses it: the input is one or two Compose files (split
// at a line "--- next file ---"), read with yaml-cpp into places, interpolated against a fixed
// environment, merged, their extends resolved, and every service mapped to a service definition.
// The input is also interpolated as one string with Compose's rules. Problems are expected; a
// crash, a hang, an exception out of the reader or a sanitizer report is a bug.
#include "host/config/interpolation.h"
#include "host/registry/compose/compose_project.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace envmgr::host;

const config::Environment& environment() {
    static const auto fixed = config::map_environment(
        {{"TAG", "7.2"}, {"PORT", "8080"}, {"NESTED", "${TAG}"}, {"COMPOSE_PROFILES", "tools,debug"}});
    return fixed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)config::expand(text, environment(), {config::MissingVariable::empty, true});
    std::vector<registry::compose::ComposeSource> sources;
    constexpr std::string_view kSeparator = "\n--- next file ---\n";
    const auto split = text.find(kSeparator);
    sources.push_back({"/fuzz/compose.yml", std::string(text.substr(0, split))});
    if (split != std::string_view::npos) {
        sources.push_back({"/fuzz/override.yml", std::string(text.substr(split + kSeparator.size()))});
    }
    const auto model = registry::compose::read_compose(sources, environment());
    const auto project = registry::compose::project_of(model, environment(), {{"tools"}, "/home/fuzz"});
    for (const auto& service : project.services) (void)service.definition.dump();
    return 0;
}
