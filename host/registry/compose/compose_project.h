// A tenant's services from its Compose files, ready for the registry: read, merged, mapped, the
// profiles applied, and the project's default network and volume names.
#pragma once

#include "host/config/environment.h"
#include "host/registry/compose/compose_service.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace envmgr::host::registry::compose {

struct ComposeProject {
    std::vector<std::string> files;
    std::vector<ComposedService> services;  // the active ones (profiles), by name
    std::optional<std::string> network;     // networks.default.name, when the file gives one
    std::set<std::string> exact_volumes;    // volume names given with name: or external: kept as written
    std::vector<ComposeProblem> problems;
};

struct ProjectOptions {
    std::vector<std::string> profiles;  // chosen profiles; COMPOSE_PROFILES adds to them
    std::string home;                   // "~" in bind mounts
};

// Reads the files from disk with the `.env` beside the first one (compose_model.h).
ComposeProject load_project(const std::vector<std::string>& paths, const config::Environment& environment,
                            const ProjectOptions& options);

// The same from a model already read (tests, the fuzzer).
ComposeProject project_of(const ComposeModel& model, const config::Environment& environment,
                          const ProjectOptions& options);

}  // namespace envmgr::host::registry::compose
