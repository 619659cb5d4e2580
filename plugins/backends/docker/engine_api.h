// The one place that starts engine exchanges for operations: it negotiates the API version
// (once, on first use), puts it in front of every path, times each call into
// docker_api_duration_seconds, maps failures to statuses, and ends operations. Everything but
// the constructor runs on the backend's io thread.
#pragma once

#include "plugins/backends/docker/endpoint.h"
#include "plugins/backends/docker/http_client.h"
#include "plugins/backends/docker/operation.h"

#include <envmgr/sdk/host.h>
#include <envmgr/sdk/status.h>

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace envmgr::plugins::backends::docker {

struct EngineSettings {
    std::string api_version;  // "" : negotiated from GET /version
    std::chrono::milliseconds timeout{30000};
    nlohmann::json registry_auth = nlohmann::json::object();
    // Whether the engine's processes are this machine's (an exec's process can be killed here).
    bool processes_visible = true;
};

class EngineApi {
public:
    // The newest engine API this client speaks; older engines are met at their version.
    static constexpr const char* kMaxApiVersion = "1.43";

    using OkHandler = std::function<void(HttpResponse)>;
    // May claim an error (return true: it handles it) before it fails the operation.
    using ErrorHandler = std::function<bool(envmgr_status, const std::string& message, unsigned http_status)>;
    using BodyHandler = std::function<bool(std::string_view)>;

    // Throws sdk::Error(INVALID) for a settings value it cannot use.
    EngineApi(boost::asio::io_context& io, Endpoint endpoint, EngineSettings settings, const sdk::Host& host,
              OperationRegistry& registry);

    [[nodiscard]] HttpRequest make(boost::beast::http::verb method, const std::string& path) const;

    // One engine call at the negotiated version.
    void call(const OperationPtr& op, HttpRequest request, OkHandler on_ok, ErrorHandler on_error = {});
    // The same without the version prefix or negotiation (GET /_ping).
    void call_unversioned(const OperationPtr& op, HttpRequest request, OkHandler on_ok,
                          ErrorHandler on_error = {});
    // A streaming call: body bytes of a 2xx answer go to on_body; on_end runs when the body ends.
    void stream(const OperationPtr& op, HttpRequest request, BodyHandler on_body,
                std::function<void()> on_end);
    // A versioned exchange whose handlers are the caller's own (the event stream's reconnects).
    // When the version cannot be negotiated (no engine yet), on_done gets that error, so that
    // the caller may retry instead of failing.
    void start_exchange(const OperationPtr& op, HttpRequest request, ExchangeHandlers handlers);
    // A versioned call that belongs to no operation: clean-up after one ended (killing an
    // exec's process, removing a task's container). Timed as `name`. The version is known by
    // then (the operation made calls); if not, done gets UNAVAILABLE.
    using DetachedHandler = std::function<void(std::optional<HttpError>, const HttpResponse&)>;
    void call_detached(const std::string& name, HttpRequest request, DetachedHandler done);

    // Ends an operation: completes it, drops its exchange, runs its cleanup, forgets it.
    void finish(const OperationPtr& op, envmgr_status status, const std::string& payload);
    void succeed(const OperationPtr& op, const nlohmann::json& result);
    void cancel(const OperationPtr& op);
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

    // Before the io thread is stopped: the negotiation cancelled, idle connections closed.
    void shutdown();
    void cancel_negotiation();

    [[nodiscard]] std::string negotiated_api_version() const;
    [[nodiscard]] boost::asio::io_context& io() noexcept { return io_; }
    [[nodiscard]] std::chrono::milliseconds timeout() const noexcept { return settings_.timeout; }
    [[nodiscard]] const nlohmann::json& registry_auth() const noexcept { return settings_.registry_auth; }
    [[nodiscard]] bool processes_visible() const noexcept { return settings_.processes_visible; }
    [[nodiscard]] const sdk::Host& host() const noexcept { return host_; }
    [[nodiscard]] const Endpoint& endpoint() const noexcept { return client_->endpoint(); }

private:
    using Clock = std::chrono::steady_clock;

    // Runs next once the version is known; when negotiation fails, runs fail with the reason
    // (default: the operation ends with it).
    using VersionFailure = std::function<void(envmgr_status, const std::string&)>;
    void with_api_version(const OperationPtr& op, std::function<void()> next, VersionFailure fail = {});
    void on_version(std::optional<HttpError> error, const HttpResponse& response);
    void record_duration(const std::string& operation, Clock::time_point started) const;

    boost::asio::io_context& io_;
    EngineSettings settings_;
    const sdk::Host& host_;
    OperationRegistry& registry_;
    std::shared_ptr<HttpClient> client_;

    std::string api_prefix_;  // "/v1.41" once known
    bool negotiating_ = false;
    std::shared_ptr<HttpExchange> negotiation_;  // GET /version in flight
    struct Waiting {
        OperationPtr op;
        std::function<void()> next;
        VersionFailure fail;
    };
    std::vector<Waiting> waiting_for_version_;
};

}  // namespace envmgr::plugins::backends::docker
