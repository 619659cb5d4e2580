#include "plugins/frontends/grpc/status_codes.h"

namespace envmgr::plugins::frontends::grpc_frontend {

grpc::StatusCode grpc_code(envmgr_status status) {
    switch (status) {
        case ENVMGR_STATUS_OK: return grpc::StatusCode::OK;
        case ENVMGR_STATUS_NOT_FOUND: return grpc::StatusCode::NOT_FOUND;
        case ENVMGR_STATUS_CONFLICT: return grpc::StatusCode::FAILED_PRECONDITION;
        case ENVMGR_STATUS_UNAVAILABLE: return grpc::StatusCode::UNAVAILABLE;
        case ENVMGR_STATUS_INVALID: return grpc::StatusCode::INVALID_ARGUMENT;
        case ENVMGR_STATUS_INTERNAL: return grpc::StatusCode::INTERNAL;
        case ENVMGR_STATUS_CANCELLED: return grpc::StatusCode::CANCELLED;
        case ENVMGR_STATUS_TIMEOUT: return grpc::StatusCode::DEADLINE_EXCEEDED;
        case ENVMGR_STATUS_UNSUPPORTED: return grpc::StatusCode::UNIMPLEMENTED;
    }
    return grpc::StatusCode::INTERNAL;  // a status this frontend does not know
}

grpc::Status grpc_status(envmgr_status status, const std::string& message) {
    if (status == ENVMGR_STATUS_OK) return grpc::Status::OK;
    return {grpc_code(status), message};
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
