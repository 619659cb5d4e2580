// Whether an image reference is one the engine accepts ([registry[:port]/]path[:tag][@digest],
// the grammar of the distribution project), and why not. Pure.
#pragma once

#include <optional>
#include <string>

namespace envmgr::host::registry {

// nullopt when valid; else the reason, e.g. "repository names are lowercase".
std::optional<std::string> image_reference_problem(const std::string& reference);

}  // namespace envmgr::host::registry
