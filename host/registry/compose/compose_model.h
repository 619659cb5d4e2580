// A Compose project as read from its files: each file read, interpolated, its `extends` within
// the file resolved and its services brought to one form, then the files merged in order as
// Compose merges them (later files override earlier ones).
#pragma once

#include "host/config/environment.h"
#include "host/registry/compose/compose_problem.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace envmgr::host::registry::compose {

struct ComposeService {
    std::string name;
    // One form whatever the file wrote: environment and labels as maps (a bare name -> null),
    // depends_on as name -> {condition, required, restart}, env_file, tmpfs, cap_add, cap_drop,
    // security_opt, dns and expose as lists; everything else as written.
    nlohmann::json config = nlohmann::json::object();
    SourceLocation where;                          // the service's own key
    std::map<std::string, SourceLocation> places;  // "/ports/0" (below the service) -> where
    std::string directory;                         // the project folder: relative paths start here

    // Where the value at the pointer below the service (or its nearest ancestor) was written.
    [[nodiscard]] SourceLocation at(std::string pointer) const;
};

struct ComposeModel {
    std::vector<std::string> files;
    std::string directory;  // the first file's folder
    std::map<std::string, ComposeService> services;
    nlohmann::json volumes = nlohmann::json::object();   // top-level volumes, merged
    nlohmann::json networks = nlohmann::json::object();  // top-level networks, merged
    std::map<std::string, SourceLocation> top_places;    // "volumes.data", "networks.default"
    std::map<std::string, std::string> dotenv;           // the `.env` values read (load_compose)
    std::vector<ComposeProblem> problems;
};

// File texts are read through this, so tests and the fuzzer need no disk.
struct ComposeSource {
    std::string path;
    std::string text;
};

// Reads the files (already loaded) in order; the environment interpolates them.
ComposeModel read_compose(const std::vector<ComposeSource>& sources, const config::Environment& environment);

// The same from disk, with the `.env` file beside the first file (absent: no values) and the
// process environment. A file that cannot be read is a problem naming it.
ComposeModel load_compose(const std::vector<std::string>& paths, const config::Environment& process);

}  // namespace envmgr::host::registry::compose
