#include "plugins/backends/docker/operation.h"

namespace envmgr::plugins::backends::docker {

OperationPtr OperationRegistry::add(std::string name, nlohmann::json request, sdk::Completion done) {
    auto op = std::make_shared<Operation>();
    op->id = next_id_++;
    op->name = std::move(name);
    op->request = std::move(request);
    op->done = std::move(done);
    const std::lock_guard lock(mutex_);
    operations_.emplace(op->id, op);
    return op;
}

OperationPtr OperationRegistry::find(envmgr_operation_id id) const {
    const std::lock_guard lock(mutex_);
    const auto it = operations_.find(id);
    return it == operations_.end() ? nullptr : it->second;
}

void OperationRegistry::erase(envmgr_operation_id id) {
    const std::lock_guard lock(mutex_);
    operations_.erase(id);
}

std::vector<envmgr_operation_id> OperationRegistry::ids() const {
    std::vector<envmgr_operation_id> out;
    const std::lock_guard lock(mutex_);
    out.reserve(operations_.size());
    for (const auto& [id, op] : operations_) out.push_back(id);
    return out;
}

}  // namespace envmgr::plugins::backends::docker
