// How a manager operation's status reads on the wire.
#pragma once

#include <envmgr/abi.h>
#include <grpcpp/support/status.h>

#include <string>

namespace envmgr::plugins::frontends::grpc_frontend {

// OK, NOT_FOUND, FAILED_PRECONDITION (a conflict: a taken port or name), UNAVAILABLE,
// INVALID_ARGUMENT, INTERNAL, CANCELLED, DEADLINE_EXCEEDED, UNIMPLEMENTED.
grpc::StatusCode grpc_code(envmgr_status status);
grpc::Status grpc_status(envmgr_status status, const std::string& message);

}  // namespace envmgr::plugins::frontends::grpc_frontend
