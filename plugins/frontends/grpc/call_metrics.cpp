#include "plugins/frontends/grpc/call_metrics.h"

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

class CallInterceptor final : public grpc::experimental::Interceptor {
public:
    CallInterceptor(CallMetrics& metrics, std::string method, bool streaming)
        : metrics_(metrics),
          method_(std::move(method)),
          streaming_(streaming),
          // A shutdown waits for env_manager.v1's calls only (it ends their streams itself);
          // a grpc.health.v1 Watch or a reflection stream would only hold it up.
          counted_(method_.starts_with("/env_manager.")) {
        if (counted_) metrics_.call_delta(1);
        if (streaming_) metrics_.stream_delta(method_, 1);
    }
    ~CallInterceptor() override {
        if (streaming_) metrics_.stream_delta(method_, -1);
        if (counted_) metrics_.call_delta(-1);
    }
    CallInterceptor(const CallInterceptor&) = delete;
    CallInterceptor& operator=(const CallInterceptor&) = delete;

    void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
        if (methods->QueryInterceptionHookPoint(
                grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
            metrics_.handled(method_, methods->GetSendStatus().error_code());
        }
        methods->Proceed();
    }

private:
    CallMetrics& metrics_;
    std::string method_;
    bool streaming_;
    bool counted_;
};

}  // namespace

grpc::experimental::Interceptor* CallMetrics::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
    const char* method = info->method();
    if (method == nullptr) return nullptr;  // an unknown method: gRPC answers UNIMPLEMENTED itself
    const bool streaming = info->type() != grpc::experimental::ServerRpcInfo::Type::UNARY;
    return new CallInterceptor(*this, method, streaming);
}

void CallMetrics::call_delta(int delta) {
    {
        const std::lock_guard lock(calls_mutex_);
        calls_ += delta;
    }
    calls_changed_.notify_all();
}

bool CallMetrics::wait_idle(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(calls_mutex_);
    return calls_changed_.wait_until(lock, deadline, [this] { return calls_ == 0; });
}

void CallMetrics::stream_delta(const std::string& method, int delta) {
    const std::lock_guard lock(mutex_);  // the count and its recording in one step
    auto& count = streams_[method];
    count += delta;
    host_.record(ENVMGR_METRIC_KIND_GAUGE_SET, "grpc_server_streams_in_flight",
                 "gRPC streams open now, by method", static_cast<double>(count), {{"grpc_method", method}});
}

void CallMetrics::declare_streams(const google::protobuf::ServiceDescriptor& service) {
    for (int i = 0; i < service.method_count(); ++i) {
        const auto* method = service.method(i);
        if (method->server_streaming() || method->client_streaming()) {
            stream_delta("/" + service.full_name() + "/" + method->name(), 0);
        }
    }
}

void CallMetrics::handled(const std::string& method, grpc::StatusCode code) {
    host_.record(ENVMGR_METRIC_KIND_COUNTER_ADD, "grpc_server_handled_total",
                 "gRPC calls completed, by method and code", 1,
                 {{"grpc_method", method}, {"grpc_code", code_name(code)}});
}

const char* code_name(grpc::StatusCode code) {
    switch (code) {
        case grpc::StatusCode::OK: return "OK";
        case grpc::StatusCode::CANCELLED: return "CANCELLED";
        case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
        case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
        case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
        case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
        case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
        case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
        case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
        case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
        case grpc::StatusCode::ABORTED: return "ABORTED";
        case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
        case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
        case grpc::StatusCode::INTERNAL: return "INTERNAL";
        case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
        case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
        case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
        default: return "UNKNOWN";
    }
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
