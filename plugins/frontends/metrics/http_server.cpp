#include "plugins/frontends/metrics/http_server.h"

#include "plugins/frontends/metrics/http_routes.h"

#include <envmgr/sdk/documents/operator_documents.h>
#include <envmgr/sdk/documents/read_document.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <optional>
#include <variant>

namespace envmgr::plugins::frontends::metrics_frontend {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

using Response = http::response<http::string_body>;

// After an answer that ends the connection, what the client still sends is read and dropped
// for at most this long: closing a socket with unread input makes the kernel send a reset,
// which can destroy the answer before the client reads it.
constexpr std::chrono::seconds kLingerLimit{1};

}  // namespace

struct HttpServer::State {
    asio::io_context& io;
    sdk::Host host;
    ServerSettings settings;
    std::optional<asio::ip::tcp::acceptor> tcp;
    std::optional<asio::local::stream_protocol::acceptor> unix_socket;
    bool closed = false;
};

namespace {

Response answer(unsigned status, const std::string& content_type, std::string body) {
    Response response{static_cast<http::status>(status), 11};
    response.set(http::field::server, "env-manager");
    response.set(http::field::content_type, content_type);
    response.body() = std::move(body);
    return response;
}

Response error_answer(unsigned status, const std::string& message) {
    return answer(status, "application/json", nlohmann::json{{"error", message}}.dump() + "\n");
}

// /health from daemon.health: 200 when the daemon can serve, 503 with the reason otherwise.
Response health_answer(const sdk::Result& result) {
    if (!result.ok()) {
        return answer(503, "application/json",
                      nlohmann::json{{"status", "unavailable"}, {"reason", result.payload}}.dump() + "\n");
    }
    auto document = nlohmann::json::parse(result.payload, nullptr, false);
    if (!document.is_object()) return error_answer(500, "unreadable answer from the host");
    const bool engine = document.contains("engine") && document["engine"].value("reachable", false);
    document["status"] = engine ? "ok" : "unavailable";
    if (!engine) {
        document["reason"] =
            "the container engine is unreachable: " + document["engine"].value("message", "");
    }
    return answer(engine ? 200 : 503, "application/json", document.dump() + "\n");
}

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
public:
    Session(std::shared_ptr<HttpServer::State> state, typename Stream::socket_type socket)
        : state_(std::move(state)), stream_(std::move(socket)) {}

    void read() {
        parser_.emplace();
        parser_->header_limit(kRequestLimit);
        stream_.expires_after(state_->settings.request_timeout);
        // The header only: no route takes a body, so one is never parsed (see on_read).
        http::async_read_header(
            stream_, buffer_, *parser_,
            [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

private:
    void on_read(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
            ec == asio::error::eof) {
            return shut();
        }
        if (ec) {  // malformed or oversized: said once, then the connection ends
            keep_alive_ = false;
            head_ = false;
            return write(error_answer(400, "bad request: " + ec.message()));
        }
        const auto& request = parser_->get();
        // A body is left unread, so the connection cannot carry another request after it.
        keep_alive_ = request.keep_alive() && !carries_body(*parser_);
        head_ = request.method() == http::verb::head;
        const auto accept = request[http::field::accept];
        const auto decision =
            route_of(std::string_view(request.method_string().data(), request.method_string().size()),
                     std::string_view(request.target().data(), request.target().size()),
                     std::string_view(accept.data(), accept.size()));
        switch (decision.route) {
            case Route::live: return write(answer(200, "application/json", "{\"status\":\"alive\"}\n"));
            case Route::health: return ask_health();
            case Route::metrics_text:
                return write_metrics("prometheus", "text/plain; version=0.0.4; charset=utf-8");
            case Route::metrics_json: return write_metrics("json", "application/json");
            case Route::timeline_svg: return ask_timeline(decision.tenant, decision.run);
            case Route::not_found: return write(error_answer(404, decision.reason));
            case Route::bad_request: return write(error_answer(400, decision.reason));
            case Route::method_not_allowed: {
                auto response = error_answer(405, decision.reason);
                response.set(http::field::allow, "GET, HEAD");
                return write(std::move(response));
            }
        }
    }

    void write_metrics(const std::string& format, const char* content_type) {
        auto rendered = state_->host.render_metrics(format);
        if (rendered.status == ENVMGR_STATUS_UNSUPPORTED) {  // an ABI 1.0 host, or one without a registry
            return write(error_answer(501,
                                      "this env-manager's host does not render metrics (render_metrics came "
                                      "with plugin ABI 1.1)"));
        }
        if (rendered.status == ENVMGR_STATUS_INVALID && format != "prometheus") {  // "json" came within 1.1
            return write(
                error_answer(406, "this env-manager renders its metrics as Prometheus text only, not " +
                                      format + "; ask without ?format=json or Accept: application/json"));
        }
        if (!rendered.ok()) {
            return write(error_answer(500, "the host cannot render metrics: " + rendered.payload));
        }
        write(answer(200, content_type, std::move(rendered.payload)));
    }

    // The host answers on its own threads: the answer comes back to this one, unless the
    // deadline answered first.
    void ask_health() {
        auto answered = std::make_shared<bool>(false);
        auto timer = std::make_shared<asio::steady_timer>(state_->io, state_->settings.health_timeout);
        timer->async_wait([self = this->shared_from_this(), answered](beast::error_code ec) {
            if (ec || *answered) return;
            *answered = true;
            const auto seconds = std::chrono::duration<double>(self->state_->settings.health_timeout).count();
            self->write(answer(503, "application/json",
                               nlohmann::json{{"status", "unavailable"},
                                              {"reason", "no answer from the daemon within " +
                                                             std::to_string(seconds).substr(0, 3) + " s"}}
                                       .dump() +
                                   "\n"));
        });
        state_->host.manager_invoke(
            "daemon.health", "{}",
            [self = this->shared_from_this(), answered, timer](const sdk::Result& result) {
                asio::post(self->state_->io, [self, answered, timer, result] {
                    if (*answered) return;
                    *answered = true;
                    timer->cancel();
                    self->write(health_answer(result));
                });
            });
    }

    // timeline.plot answers at once from what the host keeps: no deadline needed.
    void ask_timeline(const std::string& tenant, unsigned run) {
        state_->host.manager_invoke(
            "timeline.plot", nlohmann::json{{"tenant", tenant}, {"run", run}}.dump(),
            [self = this->shared_from_this()](const sdk::Result& result) {
                asio::post(self->state_->io, [self, result] {
                    if (!result.ok()) {
                        return self->write(error_answer(result.status == ENVMGR_STATUS_NOT_FOUND ? 404 : 500,
                                                        result.payload));
                    }
                    self->write(answer(200, "image/svg+xml",
                                       sdk::read_document<sdk::TimelinePlot>(result.payload)
                                           .value_or(sdk::TimelinePlot{})
                                           .svg));
                });
            });
    }

    void write(Response response) {
        response.keep_alive(keep_alive_);
        response.prepare_payload();
        if (head_) response.body().clear();  // the headers (Content-Length too) stay those of GET
        response_ = std::move(response);
        if (head_) {
            serializer_.emplace(response_);
            stream_.expires_after(state_->settings.request_timeout);
            http::async_write_header(stream_, *serializer_,
                                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                         self->after_write(ec);
                                     });
            return;
        }
        stream_.expires_after(state_->settings.request_timeout);
        http::async_write(
            stream_, response_,
            [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->after_write(ec); });
    }

    void after_write(beast::error_code ec) {
        if (ec || state_->closed) return shut();
        if (!keep_alive_) {
            beast::error_code ignored;
            stream_.socket().shutdown(asio::socket_base::shutdown_send, ignored);
            return drain_until(std::chrono::steady_clock::now() + kLingerLimit);
        }
        read();
    }

    // Reads and drops input until the client closes its side, an error or the deadline.
    void drain_until(std::chrono::steady_clock::time_point deadline) {
        stream_.expires_at(deadline);
        stream_.async_read_some(asio::buffer(drained_), [self = this->shared_from_this(), deadline](
                                                            beast::error_code ec, std::size_t) {
            if (ec || self->state_->closed) return self->stream_.close();
            self->drain_until(deadline);
        });
    }

    void shut() {
        beast::error_code ignored;
        stream_.socket().shutdown(asio::socket_base::shutdown_send, ignored);
        stream_.close();
    }

    std::shared_ptr<HttpServer::State> state_;
    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::empty_body>> parser_;
    Response response_;
    std::optional<http::response_serializer<http::string_body>> serializer_;
    bool keep_alive_ = true;
    bool head_ = false;
    std::array<char, 4096> drained_{};
};

using TcpStream = beast::tcp_stream;
using UnixStream = beast::basic_stream<asio::local::stream_protocol>;

template <class Stream, class Acceptor>
void accept_next(const std::shared_ptr<HttpServer::State>& state, Acceptor& acceptor) {
    acceptor.async_accept([state, &acceptor](beast::error_code ec, typename Stream::socket_type socket) {
        if (state->closed) return;
        if (!ec) std::make_shared<Session<Stream>>(state, std::move(socket))->read();
        accept_next<Stream>(state, acceptor);
    });
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, const sdk::Host& host, ServerSettings settings)
    : state_(
          std::make_shared<State>(State{io, host, std::move(settings), std::nullopt, std::nullopt, false})) {}

HttpServer::~HttpServer() {
    close();
}

void HttpServer::listen() {
    const std::string& address = state_->settings.address;
    const auto refuse = [&address](const std::string& why) {
        return sdk::Error(ENVMGR_STATUS_UNAVAILABLE, "cannot listen on " + address + ": " + why);
    };
    beast::error_code ec;
    if (address.rfind("unix:", 0) == 0) {
        const std::string path = address.substr(5);
        std::error_code gone;
        std::filesystem::remove(path, gone);  // a socket file left by an earlier run
        state_->unix_socket.emplace(state_->io);
        state_->unix_socket->open(asio::local::stream_protocol(), ec);
        if (!ec) state_->unix_socket->bind(asio::local::stream_protocol::endpoint(path), ec);
        if (!ec) state_->unix_socket->listen(asio::socket_base::max_listen_connections, ec);
        if (ec) throw refuse(ec.message());
        accept_next<UnixStream>(state_, *state_->unix_socket);
        return;
    }
    const auto colon = address.rfind(':');
    std::string host = address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    unsigned short port = 0;
    const auto* digits = address.data() + colon + 1;
    std::from_chars(digits, address.data() + address.size(), port);
    const auto ip = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
    if (ec) throw refuse("not an IP address: " + host);
    state_->tcp.emplace(state_->io);
    const asio::ip::tcp::endpoint endpoint(ip, port);
    state_->tcp->open(endpoint.protocol(), ec);
    if (!ec) state_->tcp->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) state_->tcp->bind(endpoint, ec);
    if (!ec) state_->tcp->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw refuse(ec.message());
    accept_next<TcpStream>(state_, *state_->tcp);
}

unsigned short HttpServer::port() const {
    beast::error_code ec;
    if (!state_->tcp) return 0;
    const auto endpoint = state_->tcp->local_endpoint(ec);
    return ec ? 0 : endpoint.port();
}

void HttpServer::close() {
    asio::post(state_->io, [state = state_] {
        state->closed = true;
        beast::error_code ignored;
        if (state->tcp) state->tcp->close(ignored);
        if (state->unix_socket) state->unix_socket->close(ignored);
    });
}

}  // namespace envmgr::plugins::frontends::metrics_frontend
