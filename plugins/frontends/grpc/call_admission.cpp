#include "plugins/frontends/grpc/call_admission.h"

#include <envmgr/sdk/documents/service_definition.h>

#include <optional>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

constexpr const char* kTenantKey = "x-env-manager-tenant";

std::optional<std::string> metadata(const grpc::CallbackServerContext* context, const std::string& key) {
    const auto& entries = context->client_metadata();
    const auto found = entries.find(key);
    if (found == entries.end()) return std::nullopt;
    return std::string(found->second.data(), found->second.size());
}

}  // namespace

grpc::Status admit_call(const AccessSettings& access, const grpc::CallbackServerContext* context,
                        bool local_only, std::string& tenant) {
    auto status = check_access(access, context->peer(), metadata(context, "authorization"), local_only);
    if (!status.ok()) return status;
    tenant = metadata(context, kTenantKey).value_or("default");
    if (tenant.empty()) {
        return {grpc::StatusCode::INVALID_ARGUMENT, std::string(kTenantKey) + ": empty tenant name"};
    }
    // Never echoed whole: a tenant name is at most 32 characters (tenants.md).
    if (tenant.size() > sdk::kMaxTenantName) {
        return {grpc::StatusCode::INVALID_ARGUMENT,
                std::string(kTenantKey) + ": " + std::to_string(tenant.size()) +
                    " characters; a tenant name has at most " + std::to_string(sdk::kMaxTenantName)};
    }
    return grpc::Status::OK;
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
