// gRPC requests as metrics, through a server interceptor so that every RPC counts (ours,
// reflection, grpc.health.v1): grpc_server_handled_total{grpc_method, grpc_code} and, for
// streams, grpc_server_streams_in_flight{grpc_method}. Recorded through the host's
// record_metric; the metrics frontend serves them.
#pragma once

#include <envmgr/sdk/sdk.h>
#include <grpcpp/support/server_interceptor.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace envmgr::plugins::frontends::grpc_frontend {

class CallMetrics : public grpc::experimental::ServerInterceptorFactoryInterface {
public:
    explicit CallMetrics(const sdk::Host& host) : host_(host) {}

    grpc::experimental::Interceptor* CreateServerInterceptor(
        grpc::experimental::ServerRpcInfo* info) override;

    // A stream of `method` began (+1) or ended (-1).
    void stream_delta(const std::string& method, int delta);
    void handled(const std::string& method, grpc::StatusCode code);

private:
    sdk::Host host_;
    std::mutex mutex_;
    std::map<std::string, long> streams_;  // method -> in flight
};

// "OK", "NOT_FOUND", ... as grpc-go and grpc-java name them.
const char* code_name(grpc::StatusCode code);

}  // namespace envmgr::plugins::frontends::grpc_frontend
