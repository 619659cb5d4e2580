// The plugin's entry point: one translation unit, so the descriptor is built once.
#include "plugins/frontends/grpc/grpc_frontend.h"

ENVMGR_EXPORT_PLUGIN(envmgr::plugins::frontends::grpc_frontend::GrpcFrontend)
