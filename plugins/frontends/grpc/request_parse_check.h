// A request body that does not parse as the method's request message: gRPC's callback server
// answers it UNIMPLEMENTED with no message (its handler falls back to "unimplemented" when
// deserialization fails). This interceptor turns that answer into INVALID_ARGUMENT saying so, and
// it runs before the call metrics, so they count the corrected code.
//
// Protobuf also logs one ERROR line per string field that is not UTF-8, as it parses: a remote
// caller could flood the log with them. install_protobuf_log_filter() drops those (the call's
// answer says it) and passes protobuf's other messages on (one about serializing is a bug of
// ours and stays).
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <functional>
#include <string>

namespace envmgr::plugins::frontends::grpc_frontend {

class RequestParseCheck : public grpc::experimental::ServerInterceptorFactoryInterface {
public:
    grpc::experimental::Interceptor* CreateServerInterceptor(
        grpc::experimental::ServerRpcInfo* info) override;
};

// The answer to a request of `method` whose body did not parse.
std::string unparsable_request_message(const std::string& method);

// Routes protobuf's log messages to `sink` (level, text), without the "invalid UTF-8" ones; an
// empty sink restores protobuf's own handler. Process-wide: protobuf has one handler.
void install_protobuf_log_filter(std::function<void(int level, const std::string& text)> sink);

}  // namespace envmgr::plugins::frontends::grpc_frontend
