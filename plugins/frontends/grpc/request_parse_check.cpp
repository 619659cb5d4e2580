#include "plugins/frontends/grpc/request_parse_check.h"

#include <google/protobuf/stubs/logging.h>

#include <mutex>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

class ParseCheck final : public grpc::experimental::Interceptor {
public:
    explicit ParseCheck(std::string method) : method_(std::move(method)) {}

    void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
        using grpc::experimental::InterceptionHookPoints;
        if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
            methods->GetRecvMessage() == nullptr) {
            unparsable_ = true;  // the handler got no request: deserialization failed
        }
        if (unparsable_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
            methods->GetSendStatus().error_code() == grpc::StatusCode::UNIMPLEMENTED) {
            methods->ModifySendStatus(
                grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, unparsable_request_message(method_)));
        }
        methods->Proceed();
    }

private:
    std::string method_;
    bool unparsable_ = false;
};

std::mutex sink_mutex;
std::function<void(int, const std::string&)>& protobuf_sink() {
    static std::function<void(int, const std::string&)> sink;
    return sink;
}

void filtered_protobuf_log(google::protobuf::LogLevel level, const char* /*filename*/, int /*line*/,
                           const std::string& message) {
    // A request's (the call's answer says so); one of our own answers is a bug and stays logged.
    if (message.find("invalid UTF-8 data when parsing") != std::string::npos) return;
    const std::lock_guard lock(sink_mutex);
    if (protobuf_sink()) protobuf_sink()(static_cast<int>(level), message);
}

}  // namespace

grpc::experimental::Interceptor* RequestParseCheck::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
    const char* method = info->method();
    if (method == nullptr) return nullptr;  // an unknown method: UNIMPLEMENTED is the right answer
    return new ParseCheck(method);
}

std::string unparsable_request_message(const std::string& method) {
    return "request: the body of " + method +
           " does not parse as its request message (malformed protobuf, or a string field that is not "
           "valid UTF-8)";
}

void install_protobuf_log_filter(std::function<void(int level, const std::string& text)> sink) {
    // Protobuf's own handler (it writes to stderr; null discards), put back when the sink goes.
    static google::protobuf::LogHandler* previous = nullptr;
    static bool installed = false;
    const bool installing = static_cast<bool>(sink);
    {
        const std::lock_guard lock(sink_mutex);
        protobuf_sink() = std::move(sink);
    }
    if (installing && !installed) {
        previous = google::protobuf::SetLogHandler(&filtered_protobuf_log);
        installed = true;
    } else if (!installing && installed) {
        google::protobuf::SetLogHandler(previous);
        installed = false;
    }
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
