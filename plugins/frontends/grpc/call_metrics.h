// gRPC requests as metrics, through a server interceptor so that every RPC counts (ours,
// reflection, grpc.health.v1): grpc_server_handled_total{grpc_method, grpc_code} and, for
// streams, grpc_server_streams_in_flight{grpc_method}. Recorded through the host's
// record_metric; the metrics frontend serves them.
#pragma once

#include <envmgr/sdk/sdk.h>
#include <google/protobuf/descriptor.h>
#include <grpcpp/support/server_interceptor.h>

#include <chrono>
#include <condition_variable>
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

    // A call of env_manager.v1 began (+1) or ended (-1), while its interceptor lives.
    void call_delta(int delta);
    // Waits until no call is in flight, or until deadline; true when none is.
    bool wait_idle(std::chrono::steady_clock::time_point deadline);

    // A stream of `method` began (+1) or ended (-1); 0 only makes the series exist.
    void stream_delta(const std::string& method, int delta);
    // The streaming methods of a service ("/package.Service/Method"), at 0 from the start.
    void declare_streams(const google::protobuf::ServiceDescriptor& service);
    void handled(const std::string& method, grpc::StatusCode code);

private:
    sdk::Host host_;
    std::mutex mutex_;
    std::map<std::string, long> streams_;  // method -> in flight
    std::mutex calls_mutex_;
    std::condition_variable calls_changed_;
    long calls_ = 0;  // in flight, every method
};

// "OK", "NOT_FOUND", ... as grpc-go and grpc-java name them.
const char* code_name(grpc::StatusCode code);

}  // namespace envmgr::plugins::frontends::grpc_frontend
