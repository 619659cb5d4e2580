// Containers created ahead: a create costs about 17 ms of the engine's time and waits on no
// dependency, so every waiting service's container is made as soon as its image and the network
// are there, and its launch only starts it. While its create is in flight the instance is busy,
// so its own launch (or another run's) waits for it instead of creating a second one. A
// container made ahead is labelled like any other, so a later start adopts it; one this run
// never started (a dependency failed) is removed before the run reports.
#include "host/scheduler/start_run.h"

#include "host/scheduler/container_spec_builder.h"

#include <envmgr/sdk/documents/container_document.h>

#include <algorithm>

namespace envmgr::host::scheduler {

void StartRun::precreate_ready() {
    if (finished_ || !network_ready_ || !core_->settings().precreate_containers) return;
    std::vector<std::string> due;
    for (const auto& [service, member] : members_) {
        if (member.step == Step::waiting && member.image_ready && !precreated_.contains(service)) {
            due.push_back(service);
        }
    }
    // The critical path's creates first: the engine takes them roughly in order.
    std::stable_sort(due.begin(), due.end(),
                     [this](const auto& a, const auto& b) { return priority_.at(a) > priority_.at(b); });
    for (const auto& service : due) precreate(service);
}

void StartRun::precreate(const std::string& service) {
    auto& instance = core_->instance(key(service));
    if (instance.busy || !instance.container_id.empty()) return;  // adopted, or another run's
    const auto* definition = chosen_definition(service);
    precreated_.insert(service);
    instance.busy = true;
    // One that launches next is creating; one that waits for a dependency keeps its state.
    if (std::string failed; dependencies_met(service, failed)) {
        core_->set_state(key(service), ServiceState::creating, "creating " + definition->container_name);
    }
    const nlohmann::json request{{"spec", container_spec_for(*definition)}};
    core_->call("container.create", request, shared_from_this(),
                [this, service, hash = definition->definition_hash](const sdk::Result& result) {
                    auto& created = core_->instance(key(service));
                    if (result.ok()) {
                        created.container_id = sdk::read_document<sdk::CreatedContainer>(result.payload)
                                                   .value_or(sdk::CreatedContainer{})
                                                   .id;
                        created.container_hash = hash;
                        created.container_state = "created";
                    } else {
                        // Not this service's failure yet: its launch creates it again and says why.
                        precreated_.erase(service);
                        core_->logger().debug("start of tenant '{}': creating {} ahead failed: {}",
                                              request_.tenant, service, result.payload);
                    }
                    core_->release(key(service));
                });
}

void StartRun::remove_unused_precreated(const std::function<void()>& then) {
    std::vector<std::pair<std::string, std::string>> unused;  // service, container id
    for (const auto& service : precreated_) {
        const auto& instance = core_->instances().at(key(service));
        if (members_[service].launched || instance.busy || instance.container_running ||
            instance.container_id.empty()) {
            continue;
        }
        unused.emplace_back(service, instance.container_id);
    }
    if (unused.empty()) return then();
    auto remaining = std::make_shared<std::size_t>(unused.size());
    for (const auto& [service, id] : unused) {
        core_->instance(key(service)).busy = true;
        core_->call("container.remove", {{"id", id}}, shared_from_this(),
                    [this, service = service, id = id, remaining, then](const sdk::Result& result) {
                        auto& gone = core_->instance(key(service));
                        if (result.ok() || result.status == ENVMGR_STATUS_NOT_FOUND) {
                            if (gone.container_id == id) {
                                gone.container_id.clear();
                                gone.container_hash.clear();
                                gone.container_state.clear();
                            }
                        } else {
                            core_->notable("warn", key(service),
                                           "a container created ahead of a start that failed is left: " +
                                               result.payload);
                        }
                        core_->release(key(service));
                        if (--*remaining == 0) then();
                    });
    }
}

}  // namespace envmgr::host::scheduler
