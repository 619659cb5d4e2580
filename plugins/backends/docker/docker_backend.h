// backend.docker: the Docker Engine API over HTTP/1.1, asynchronous on the plugin's own io
// thread. Operations are named (plugin_api/docs/backend-operations.md) and each maps to one or
// a few engine calls.
#pragma once

#include "endpoint.h"
#include "http_client.h"

#include <envmgr/sdk/sdk.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace envmgr::docker {

class DockerBackend : public sdk::BackendPlugin {
public:
    static constexpr const char* id = "backend.docker";
    static constexpr const char* version = "0.1.0";
    static constexpr const char* description = "Docker Engine API over a unix socket or TCP";
    // The newest engine API this client speaks; older engines are met at their version.
    static constexpr const char* kMaxApiVersion = "1.43";

    static const char* config_schema();

    DockerBackend(const sdk::Host& host, const nlohmann::json& config);
    DockerBackend(const DockerBackend&) = delete;
    DockerBackend& operator=(const DockerBackend&) = delete;
    ~DockerBackend() override;

    envmgr_operation_id invoke(std::string_view operation, const nlohmann::json& request,
                               const sdk::Completion& done);
    void cancel(envmgr_operation_id operation_id);
    void stop(const sdk::Completion& done);

    // One in-flight operation; touched only on the io thread once dispatched.
    struct Operation {
        envmgr_operation_id id = 0;
        std::string name;
        nlohmann::json request;
        sdk::Completion done;
        std::shared_ptr<HttpExchange> exchange;  // the engine call in flight, for cancel
        bool cancelled = false;
        std::function<void()> cleanup;  // runs once when the operation ends (timers to cancel)
    };
    using OperationPtr = std::shared_ptr<Operation>;

private:
    using Clock = std::chrono::steady_clock;
    using OkHandler = std::function<void(HttpResponse)>;
    using ErrorHandler = std::function<bool(envmgr_status, const std::string&, unsigned http_status)>;

    void dispatch(const OperationPtr& op);
    void cancel_all();
    void with_api_version(const OperationPtr& op, std::function<void()> next);
    void finish(const OperationPtr& op, envmgr_status status, const std::string& payload);
    // Runs one step of an operation. What it throws ends the operation: an sdk::Error with
    // its own status, anything else with `otherwise` and the message after `prefix`.
    template <typename Step>
    void finish_if_throws(const OperationPtr& op, envmgr_status otherwise, std::string_view prefix,
                          Step&& step) {
        try {
            step();
        } catch (const sdk::Error& e) {
            finish(op, e.code(), e.what());
        } catch (const std::exception& e) {
            finish(op, otherwise, std::string(prefix) + e.what());
        }
    }
    void succeed(const OperationPtr& op, const nlohmann::json& result);

    // One engine call: times it into docker_api_duration_seconds, maps failures to statuses.
    // on_error may claim an error (return true) before it fails the operation.
    void call(const OperationPtr& op, HttpRequest request, OkHandler on_ok, ErrorHandler on_error = {});
    // The same without the version prefix or negotiation (GET /_ping).
    void execute(const OperationPtr& op, HttpRequest request, OkHandler on_ok, ErrorHandler on_error = {});
    void record_duration(const std::string& operation, Clock::time_point started) const;
    // A streaming engine call: body bytes go to on_body; on_end runs when the body ends.
    void stream(const OperationPtr& op, HttpRequest request, std::function<bool(std::string_view)> on_body,
                std::function<void()> on_end);
    HttpRequest make(boost::beast::http::verb method, const std::string& path) const;

    void system_ping(const OperationPtr& op);
    void system_version(const OperationPtr& op);
    void system_info(const OperationPtr& op);
    void image_inspect(const OperationPtr& op);
    void image_pull(const OperationPtr& op);
    void image_remove(const OperationPtr& op);
    void container_create(const OperationPtr& op);
    void container_start(const OperationPtr& op);
    void container_stop(const OperationPtr& op);
    void container_kill(const OperationPtr& op);
    void container_remove(const OperationPtr& op);
    void container_inspect(const OperationPtr& op);
    void container_list(const OperationPtr& op);
    void container_wait(const OperationPtr& op);
    void container_logs(const OperationPtr& op);
    void container_exec(const OperationPtr& op);
    void container_stats(const OperationPtr& op);
    void events_stream(const OperationPtr& op);
    void events_connect(const OperationPtr& op, const std::shared_ptr<struct EventsState>& state);
    void ensure_object(const OperationPtr& op, const std::string& kind);
    void inspect_object(const OperationPtr& op, const std::string& kind);
    void remove_object(const OperationPtr& op, const std::string& kind);

    Endpoint endpoint_;
    std::string configured_api_version_;
    std::chrono::milliseconds timeout_;
    nlohmann::json registry_auth_;

    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::shared_ptr<HttpClient> client_;
    std::thread io_thread_;

    // io thread only
    std::string api_prefix_;  // "/v1.41" once known
    bool negotiating_ = false;
    std::shared_ptr<HttpExchange> negotiation_;  // GET /version in flight
    std::vector<std::pair<OperationPtr, std::function<void()>>> waiting_for_version_;

    std::mutex operations_mutex_;
    std::map<envmgr_operation_id, OperationPtr> operations_;
    std::atomic<envmgr_operation_id> next_id_{1};
};

}  // namespace envmgr::docker
