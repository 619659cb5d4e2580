// The backend's documents about containers (plugin_api/docs/backend-operations.md), typed for
// whoever reads them: container.inspect's container document, container.list's listing, and
// the small results of container.create and container.stop. Read once where the result
// arrives (sdk::read_document) and by field after. Fields a backend leaves out keep their
// defaults.
#pragma once

#include <envmgr/sdk/documents/read_document.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace envmgr::sdk {

struct ContainerPort {
    int container_port = 0;
    std::string protocol = "tcp";
    std::string host_ip;  // "" or 0.0.0.0: every address
    int host_port = 0;    // 0: not published
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ContainerPort, container_port, protocol, host_ip, host_port)

// container.inspect's result, and (with fewer fields filled) an item of container.list.
struct ContainerDocument {
    std::string id;
    std::string name;
    std::string image;
    std::string state;  // created, running, paused, restarting, exited, dead (removing while listed)
    bool running = false;
    int exit_code = -1;
    bool oom_killed = false;
    std::int64_t started_at = 0;     // unix seconds, 0 when never
    std::int64_t started_at_ns = 0;  // the same start in nanoseconds
    std::map<std::string, std::string> labels;
    std::string ip_address;  // the first network's
    std::vector<ContainerPort> ports;
    // The machine that runs it, for a backend that places containers on several (backend.swarm:
    // the node's host name); "" on one engine. Added after 1.1.
    std::string node;

    // The label's value, or `otherwise` when the container has no label of that key.
    [[nodiscard]] std::string label(const std::string& key, const std::string& otherwise = "") const {
        const auto found = labels.find(key);
        return found == labels.end() ? otherwise : found->second;
    }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ContainerDocument, id, name, image, state, running, exit_code,
                                                oom_killed, started_at, started_at_ns, labels, ip_address,
                                                ports, node)

// container.list's result.
struct ContainerList {
    std::vector<ContainerDocument> containers;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ContainerList, containers)

// container.create's result.
struct CreatedContainer {
    std::string id;
    std::vector<std::string> warnings;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CreatedContainer, id, warnings)

// container.stop's result.
struct StoppedContainer {
    bool already_stopped = false;
    int exit_code = 0;
    bool killed = false;  // SIGTERM was not enough: the engine sent SIGKILL
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(StoppedContainer, already_stopped, exit_code, killed)

// container.update's result (added after 1.1): whether the container runs the new definition
// now; false when it was not running (it stays stopped until a start).
struct UpdatedContainer {
    bool running = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(UpdatedContainer, running)

}  // namespace envmgr::sdk
