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

}  // namespace envmgr::host::scheduler
