#include "host/manager/status_documents.h"

namespace envmgr::host::manager {

StatusDocuments::Document StatusDocuments::find(const std::string& tenant, const StatusSources& now) const {
    const std::lock_guard lock(mutex_);
    const auto found = documents_.find(tenant);
    if (found == documents_.end() || !(found->second.first == now)) return nullptr;
    return found->second.second;
}

void StatusDocuments::keep(const std::string& tenant, const StatusSources& built_from, Document document) {
    const std::lock_guard lock(mutex_);
    auto& kept = documents_[tenant];
    // Two builds may finish out of order: the one from the later sources stays.
    if (kept.second != nullptr &&
        (kept.first.engine > built_from.engine || kept.first.stats > built_from.stats ||
         kept.first.second > built_from.second)) {
        return;
    }
    kept = {built_from, std::move(document)};
}

}  // namespace envmgr::host::manager
