#include "host/scheduler/watch_target.h"

namespace envmgr::host::scheduler {

health::WatchTarget watch_target_of(const InstanceKey& key, const Instance& running,
                                    const sdk::ContainerDocument& inspected) {
    health::WatchTarget target;
    target.tenant = key.first;
    target.service = key.second;
    target.container_id = running.container_id;
    target.container_ip = inspected.ip_address;
    target.started_at_ns = inspected.started_at_ns;
    for (const auto& port : inspected.ports) {
        if (port.protocol == "tcp" && port.host_port != 0) {
            target.published_ports[port.container_port] = {port.host_ip, port.host_port};
        }
    }
    if (running.service != nullptr && !running.service->definition.readiness.type.empty()) {
        target.probes.push_back(running.service->definition.readiness);
    }
    return target;
}

std::string pending_probe(const sdk::ProbeSpec& readiness) {
    if (readiness.type.empty()) return {};
    const std::string port = readiness.port > 0 ? " :" + std::to_string(readiness.port) : "";
    if (readiness.type == "http") return "http " + readiness.method + port + readiness.path;
    if (readiness.type == "exec") {
        std::string command;
        for (const auto& word : readiness.command) command += (command.empty() ? "" : " ") + word;
        return "exec " + command;
    }
    return readiness.type + port;
}

}  // namespace envmgr::host::scheduler
