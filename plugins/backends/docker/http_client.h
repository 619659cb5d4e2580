// An asynchronous HTTP/1.1 client of the engine API with a keep-alive connection pool.
// Everything runs on the one io_context thread that owns the client; start and cancel may be
// called from any thread.
#pragma once

#include "plugins/backends/docker/deadline_watch.h"
#include "plugins/backends/docker/endpoint.h"
#include "plugins/backends/docker/http_connection.h"

#include <envmgr/abi.h>

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace envmgr::plugins::backends::docker {

struct HttpRequest {
    boost::beast::http::verb method = boost::beast::http::verb::get;
    std::string target;  // path and query
    std::string body;    // sent as application/json when not empty
    std::vector<std::pair<std::string, std::string>> headers;
    // Plain requests: connect to last byte. Streams: connect to response header.
    std::chrono::milliseconds timeout{30000};
    // Streams: the longest silence allowed between body bytes; 0 means no limit.
    std::chrono::milliseconds idle_timeout{0};
    // Hijacked streams (exec and attach with stdin): written once a 2xx response head has come,
    // then the write side is shut down, which the engine reads as the end of stdin. The engine
    // drops bytes sent before its head, so they cannot go with the request.
    std::optional<std::string> send_after_head;
};

struct HttpResponse {
    unsigned status = 0;
    std::string content_type;
    std::string body;  // the whole body, unless it was streamed to on_body
};

struct HttpError {
    envmgr_status status = ENVMGR_STATUS_INTERNAL;
    std::string message;
};

struct ExchangeHandlers {
    // Optional: body bytes of a 2xx response as they arrive (then HttpResponse::body stays
    // empty). Return false to stop reading (the exchange then completes normally).
    std::function<bool(std::string_view)> on_body;
    // Optional: the response head, before any body bytes.
    std::function<void(const HttpResponse& head)> on_head;
    // Required: runs exactly once.
    std::function<void(std::optional<HttpError>, HttpResponse)> on_done;
};

class HttpExchange;

class HttpClient : public std::enable_shared_from_this<HttpClient> {
public:
    static constexpr std::size_t kMaxIdleConnections = 16;

    HttpClient(boost::asio::io_context& io, Endpoint endpoint);

    // Starts one request. The returned handle cancels it.
    std::shared_ptr<HttpExchange> start(HttpRequest request, ExchangeHandlers handlers);

    [[nodiscard]] const Endpoint& endpoint() const noexcept { return endpoint_; }
    [[nodiscard]] boost::asio::io_context& io() noexcept { return io_; }
    // The exchanges' deadlines; io thread only.
    [[nodiscard]] DeadlineWatch& deadlines() noexcept { return deadlines_; }

    // Pool, used by exchanges on the io thread.
    std::unique_ptr<HttpConnection> acquire();
    void release(std::unique_ptr<HttpConnection> connection);
    void drop_idle();
    // Before the io_context is stopped: idle connections closed, no deadline timer left.
    void shutdown();

private:
    boost::asio::io_context& io_;
    Endpoint endpoint_;
    DeadlineWatch deadlines_;
    std::vector<std::unique_ptr<HttpConnection>> idle_;
};

class HttpExchange {
public:
    virtual ~HttpExchange() = default;
    // Ends the exchange early; on_done then reports ENVMGR_STATUS_CANCELLED. Any thread.
    virtual void cancel() = 0;
};

}  // namespace envmgr::plugins::backends::docker
