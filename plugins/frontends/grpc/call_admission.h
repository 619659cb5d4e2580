// Whether a call may go on, for every service the frontend serves (env_manager.v1's
// EnvManagerService and OperatorService alike): the access policy, then the tenant the call
// names in the metadata key x-env-manager-tenant (none: "default").
#pragma once

#include "plugins/frontends/grpc/access_policy.h"

#include <grpcpp/server_context.h>

#include <string>

namespace envmgr::plugins::frontends::grpc_frontend {

// OK with tenant set, or why the call may not go on. local_only as check_access takes it.
grpc::Status admit_call(const AccessSettings& access, const grpc::CallbackServerContext* context,
                        bool local_only, std::string& tenant);

}  // namespace envmgr::plugins::frontends::grpc_frontend
