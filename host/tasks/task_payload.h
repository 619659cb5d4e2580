// What a task asks for (ExecuteTask's payload, manager operation tasks.execute): where it runs
// (an existing service's container, or a throwaway container from an image) and what it runs.
// The keys are specified in plugin_api/docs/manager-operations.md.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace envmgr::host::tasks {

struct TaskPayload {
    std::string service;            // run in this service's container ...
    std::string image;              // ... or in a throwaway container from this image
    std::vector<std::string> argv;  // empty (image only): the image's own command
    std::map<std::string, std::string> env;
    std::string workdir;
    std::optional<std::string> stdin_data;
};

struct ParsedPayload {
    TaskPayload payload;
    std::string error;  // "payload.KEY: why", "" when usable
};

// payload: an object of strings, as the wire's map<string, string>.
ParsedPayload parse_task_payload(const nlohmann::json& payload);

}  // namespace envmgr::host::tasks
