#include "plugins/backends/docker/engine_api.h"

#include "plugins/backends/docker/api_version.h"
#include "plugins/backends/docker/engine_errors.h"
#include "plugins/backends/docker/json_access.h"

namespace envmgr::plugins::backends::docker {
namespace http = boost::beast::http;

EngineApi::EngineApi(boost::asio::io_context& io, Endpoint endpoint, EngineSettings settings,
                     const sdk::Host& host, OperationRegistry& registry)
    : io_(io),
      settings_(std::move(settings)),
      host_(host),
      registry_(registry),
      client_(std::make_shared<HttpClient>(io, std::move(endpoint))) {
    if (settings_.timeout.count() <= 0) throw sdk::Error(ENVMGR_STATUS_INVALID, "timeout_ms: must be > 0");
    if (!settings_.api_version.empty()) {
        if (api_version_number(settings_.api_version) == 0) {
            throw sdk::Error(ENVMGR_STATUS_INVALID,
                             "DOCKER_API_VERSION '" + settings_.api_version + "': expected MAJOR.MINOR");
        }
        api_prefix_ = "/v" + settings_.api_version;
    }
}

HttpRequest EngineApi::make(http::verb method, const std::string& path) const {
    HttpRequest request;
    request.method = method;
    request.target = path;  // call() puts the negotiated /vX.Y in front
    request.timeout = settings_.timeout;
    return request;
}

std::string EngineApi::negotiated_api_version() const {
    return api_prefix_.empty() ? std::string() : api_prefix_.substr(2);
}

void EngineApi::finish(const OperationPtr& op, envmgr_status status, const std::string& payload) {
    op->done.complete(status, payload);
    op->exchange.reset();
    if (auto cleanup = std::move(op->cleanup)) {
        op->cleanup = nullptr;
        cleanup();
    }
    registry_.erase(op->id);
}

void EngineApi::succeed(const OperationPtr& op, const nlohmann::json& result) {
    // Container output need not be UTF-8: invalid bytes become U+FFFD rather than an error.
    finish(op, ENVMGR_STATUS_OK,
           result.is_null() ? std::string()
                            : result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void EngineApi::cancel(const OperationPtr& op) {
    if (op->cancelled || op->done.done()) return;
    op->cancelled = true;
    if (op->exchange) op->exchange->cancel();
    finish(op, ENVMGR_STATUS_CANCELLED, "cancelled");
}

void EngineApi::cancel_negotiation() {
    if (negotiation_) negotiation_->cancel();
}

void EngineApi::shutdown() {
    cancel_negotiation();
    client_->shutdown();
}

void EngineApi::with_api_version(const OperationPtr& op, std::function<void()> next, VersionFailure fail) {
    if (!api_prefix_.empty()) {
        next();
        return;
    }
    waiting_for_version_.push_back({op, std::move(next), std::move(fail)});
    if (negotiating_) return;
    negotiating_ = true;
    HttpRequest request;
    request.target = "/version";  // unversioned: answered by every engine
    request.timeout = settings_.timeout;
    const auto started = Clock::now();
    negotiation_ = client_->start(
        std::move(request),
        {.on_body = {},
         .on_head = {},
         .on_done = [this, started](std::optional<HttpError> error, const HttpResponse& response) {
             record_duration("system.version", started);
             on_version(std::move(error), response);
         }});
}

void EngineApi::on_version(std::optional<HttpError> error, const HttpResponse& response) {
    negotiating_ = false;
    negotiation_.reset();
    auto waiting = std::move(waiting_for_version_);
    waiting_for_version_.clear();
    envmgr_status status = ENVMGR_STATUS_UNAVAILABLE;
    std::string failure;
    if (error) {
        status = error->status;
        failure = error->message;
    } else if (response.status < 200 || response.status >= 300) {  // any other answer failed: never OK
        const auto refused = engine_error(response.body, response.status);
        status = refused.status;
        failure = "GET /version: " + refused.message;
    } else {
        const auto body = nlohmann::json::parse(response.body, nullptr, false);
        const std::string server = text_or_empty(body, "ApiVersion");
        if (const auto chosen = choose_api_version(server, kMaxApiVersion)) {
            api_prefix_ = "/v" + *chosen;
            host_.info("engine API " + server + "; using " + *chosen);
        } else {
            status = ENVMGR_STATUS_INTERNAL;
            failure = "GET /version: the engine reported no API version";
        }
    }
    // Every waiting operation ends or goes on here, whatever each of them throws.
    for (auto& entry : waiting) {
        const auto& waiting_op = entry.op;
        if (waiting_op->cancelled || waiting_op->done.done()) continue;
        if (failure.empty()) {
            finish_if_throws(waiting_op, ENVMGR_STATUS_INTERNAL, "", entry.next);
        } else if (entry.fail) {
            finish_if_throws(waiting_op, ENVMGR_STATUS_INTERNAL, "", [&] { entry.fail(status, failure); });
        } else {
            finish(waiting_op, status, failure);
        }
    }
}

void EngineApi::call(const OperationPtr& op, HttpRequest request, OkHandler on_ok, ErrorHandler on_error) {
    // A caller that claims errors hears a failed version negotiation too (no engine yet): a poll
    // that retries must not end there.
    VersionFailure failed;
    if (on_error) {
        failed = [this, op, on_error](envmgr_status status, const std::string& message) {
            if (!on_error(status, message, 0)) finish(op, status, message);
        };
    }
    with_api_version(
        op,
        [this, op, request = std::move(request), on_ok = std::move(on_ok), on_error]() mutable {
            request.target = api_prefix_ + request.target;
            call_unversioned(op, std::move(request), std::move(on_ok), std::move(on_error));
        },
        std::move(failed));
}

void EngineApi::call_unversioned(const OperationPtr& op, HttpRequest request, OkHandler on_ok,
                                 ErrorHandler on_error) {
    const auto started = Clock::now();
    op->exchange = client_->start(
        std::move(request),
        {.on_body = {},
         .on_head = {},
         .on_done = [this, op, started, on_ok = std::move(on_ok), on_error = std::move(on_error)](
                        std::optional<HttpError> error, HttpResponse response) {
             op->exchange.reset();
             record_duration(op->name, started);
             if (op->cancelled || op->done.done()) return;
             finish_if_throws(
                 op, ENVMGR_STATUS_INTERNAL, "unexpected response from the Docker engine: ", [&] {
                     if (error) {
                         if (!on_error || !on_error(error->status, error->message, 0)) {
                             finish(op, error->status, error->message);
                         }
                         return;
                     }
                     if ((response.status >= 200 && response.status < 300) || response.status == 304) {
                         on_ok(std::move(response));
                         return;
                     }
                     const auto refused = engine_error(response.body, response.status);
                     if (!on_error || !on_error(refused.status, refused.message, response.status)) {
                         finish(op, refused.status, refused.message);
                     }
                 });
         }});
}

void EngineApi::record_duration(const std::string& operation, Clock::time_point started) const {
    host_.record(ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE, "docker_api_duration_seconds",
                 "Duration of Docker Engine API calls, by backend operation",
                 std::chrono::duration<double>(Clock::now() - started).count(), {{"operation", operation}});
}

void EngineApi::stream(const OperationPtr& op, HttpRequest request, BodyHandler on_body,
                       std::function<void()> on_end) {
    with_api_version(op, [this, op, request = std::move(request), on_body = std::move(on_body),
                          on_end = std::move(on_end)]() mutable {
        request.target = api_prefix_ + request.target;
        const auto started = Clock::now();
        op->exchange = client_->start(
            std::move(request),
            {.on_body =
                 [this, op, on_body = std::move(on_body)](std::string_view bytes) {
                     if (op->cancelled || op->done.done()) return false;
                     try {
                         return on_body(bytes);
                     } catch (const std::exception& e) {
                         // A stream item of the wrong shape: stop reading and say what was wrong.
                         finish(op, ENVMGR_STATUS_INTERNAL,
                                std::string("malformed stream from the Docker engine: ") + e.what());
                         return false;
                     }
                 },
             // A stream's duration is its time to the response head; the rest is the caller's.
             .on_head = [this, op, started](const HttpResponse&) { record_duration(op->name, started); },
             .on_done =
                 [this, op, on_end = std::move(on_end)](std::optional<HttpError> error,
                                                        const HttpResponse& response) {
                     op->exchange.reset();
                     if (op->cancelled || op->done.done()) return;
                     finish_if_throws(op, ENVMGR_STATUS_INTERNAL, "", [&] {
                         if (error) {
                             finish(op, error->status, error->message);
                         } else if (response.status >= 300) {
                             const auto refused = engine_error(response.body, response.status);
                             finish(op, refused.status, refused.message);
                         } else {
                             on_end();
                         }
                     });
                 }});
    });
}

void EngineApi::start_exchange(const OperationPtr& op, HttpRequest request, ExchangeHandlers handlers) {
    auto on_done = handlers.on_done;
    with_api_version(
        op,
        [this, op, request = std::move(request), handlers = std::move(handlers)]() mutable {
            request.target = api_prefix_ + request.target;
            op->exchange = client_->start(std::move(request), std::move(handlers));
        },
        [on_done = std::move(on_done)](envmgr_status status, const std::string& message) {
            on_done(HttpError{status, message}, HttpResponse{});
        });
}

void EngineApi::call_detached(const std::string& name, HttpRequest request, DetachedHandler done) {
    if (api_prefix_.empty()) {
        done(HttpError{ENVMGR_STATUS_UNAVAILABLE, "the engine's API version is not known"}, HttpResponse{});
        return;
    }
    request.target = api_prefix_ + request.target;
    const auto started = Clock::now();
    client_->start(std::move(request),
                   {.on_body = {},
                    .on_head = {},
                    .on_done = [this, name, started, done = std::move(done)](std::optional<HttpError> error,
                                                                             const HttpResponse& response) {
                        record_duration(name, started);
                        try {
                            done(std::move(error), response);
                        } catch (const std::exception& e) {
                            host_.warn(name + ": " + e.what());
                        }
                    }});
}

}  // namespace envmgr::plugins::backends::docker
