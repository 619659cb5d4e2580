#include "plugins/frontends/grpc/status_responses.h"

#include "plugins/frontends/grpc/wire_documents.h"

#include <envmgr/sdk/quote.h>

#include <algorithm>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

// Tenant and service names hold no NUL: the key is unambiguous.
std::string selection_key(const std::string& tenant, const std::vector<std::string>& names) {
    std::string key = tenant;
    for (const auto& name : names) key.append(1, '\0').append(name);
    return key;
}

}  // namespace

StatusResponses::Answer StatusResponses::answer(const std::string& tenant,
                                                const std::vector<std::string>& names,
                                                const std::string& document) {
    const auto key = selection_key(tenant, names);
    {
        const std::lock_guard lock(mutex_);
        const auto found = kept_.find(key);
        if (found != kept_.end() && found->second.document == document) {
            found->second.used = ++served_;
            return {found->second.status, grpc::ByteBuffer(&found->second.bytes, 1)};
        }
    }
    Kept fresh;
    auto made = make(tenant, names, document, fresh);
    const std::lock_guard lock(mutex_);
    ++conversions_;
    if (!kept_.contains(key)) make_room();
    fresh.used = ++served_;
    kept_.insert_or_assign(key, std::move(fresh));
    return made;
}

StatusResponses::Answer StatusResponses::make(const std::string& tenant,
                                              const std::vector<std::string>& names,
                                              const std::string& document, Kept& kept) {
    std::string unknown;
    const auto response = services_status(read_or_default<sdk::StatusSnapshot>(document), names, unknown);
    if (!unknown.empty()) {
        kept.status = grpc::Status(
            grpc::StatusCode::NOT_FOUND,
            "service_names: no service " + sdk::quote_input(unknown) + " in tenant '" + tenant + "'");
    }
    std::string serialized;
    if (kept.status.ok()) response.SerializeToString(&serialized);
    kept.document = document;
    kept.bytes = grpc::Slice(serialized);
    return {kept.status, grpc::ByteBuffer(&kept.bytes, 1)};
}

void StatusResponses::make_room() {
    while (kept_.size() >= kMaxSelections) {
        const auto oldest = std::min_element(kept_.begin(), kept_.end(), [](const auto& a, const auto& b) {
            return a.second.used < b.second.used;
        });
        kept_.erase(oldest);
    }
}

std::size_t StatusResponses::conversions() const {
    const std::lock_guard lock(mutex_);
    return conversions_;
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
