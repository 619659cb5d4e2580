#include "http_client.h"

#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <limits>

namespace envmgr::docker {
namespace http = boost::beast::http;

namespace {

constexpr std::uint64_t kMaxPlainBody = 256ULL << 20U;

class Exchange final : public HttpExchange, public std::enable_shared_from_this<Exchange> {
public:
    Exchange(std::shared_ptr<HttpClient> client, HttpRequest request, ExchangeHandlers handlers)
        : client_(std::move(client)), request_(std::move(request)), handlers_(std::move(handlers)) {}

    void start() {
        boost::asio::post(client_->io(), [self = shared_from_this()] { self->begin(); });
    }

    void cancel() override {
        boost::asio::post(client_->io(), [self = shared_from_this()] {
            if (self->finished_) return;
            self->cancelled_ = true;
            if (self->connection_) self->connection_->close();
        });
    }

private:
    void begin() {
        if (cancelled_) {
            finish(HttpError{ENVMGR_STATUS_CANCELLED, "cancelled"});
            return;
        }
        started_ = std::chrono::steady_clock::now();
        build_request();
        connection_ = client_->acquire();
        if (connection_) {
            write();
            return;
        }
        connect_fresh();
    }

    void connect_fresh() {
        connection_ = std::make_unique<HttpConnection>(client_->io(), client_->endpoint());
        connection_->async_connect(request_.timeout,
                                   [self = shared_from_this()](boost::system::error_code ec) {
                                       if (ec) {
                                           self->fail_io(ec, "connect");
                                           return;
                                       }
                                       self->write();
                                   });
    }

    void build_request() {
        wire_ = http::request<http::string_body>(request_.method, request_.target, 11);
        wire_.set(http::field::host, client_->endpoint().host_header());
        wire_.set(http::field::user_agent, "env-manager");
        for (const auto& [name, value] : request_.headers) wire_.set(name, value);
        if (!request_.body.empty()) {
            wire_.set(http::field::content_type, "application/json");
            wire_.body() = request_.body;
        }
        wire_.keep_alive(true);
        wire_.prepare_payload();
    }

    void write() {
        parser_.emplace();
        // Streams are unbounded. (An empty optional would mean "no limit" but Beast 1.74 then
        // rejects every Content-Length body, so the largest value stands for it.)
        parser_->body_limit(handlers_.on_body ? std::numeric_limits<std::uint64_t>::max() : kMaxPlainBody);
        // One deadline for the whole exchange, counted from its start (connect included).
        const auto remaining = request_.timeout - (std::chrono::steady_clock::now() - started_);
        connection_->expires_after(
            std::max<std::chrono::steady_clock::duration>(remaining, std::chrono::milliseconds(1)));
        connection_->visit([this](auto& stream) {
            http::async_write(stream, wire_,
                              [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                  if (ec) {
                                      self->fail_io(ec, "write");
                                      return;
                                  }
                                  self->read_header();
                              });
        });
    }

    void read_header() {
        connection_->visit([this](auto& stream) {
            http::async_read_header(stream, connection_->buffer(), *parser_,
                                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                        if (ec) {
                                            self->fail_io(ec, "read");
                                            return;
                                        }
                                        self->on_header();
                                    });
        });
    }

    void on_header() {
        header_seen_ = true;
        const auto& head = parser_->get();
        response_.status = head.result_int();
        response_.content_type = std::string(head[http::field::content_type]);
        streaming_ = handlers_.on_body && response_.status >= 200 && response_.status < 300;
        if (handlers_.on_head) handlers_.on_head(response_);
        if (streaming_) {
            if (request_.idle_timeout.count() > 0) {
                connection_->expires_after(request_.idle_timeout);
            } else {
                connection_->expires_never();
            }
        }
        read_body();
    }

    void read_body() {
        if (parser_->is_done()) {
            complete_ok();
            return;
        }
        auto& body = parser_->get().body();
        const auto chunk = connection_->body_chunk();
        body.data = chunk.data();
        body.size = chunk.size();
        connection_->visit([this](auto& stream) {
            http::async_read_some(stream, connection_->buffer(), *parser_,
                                  [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                      self->on_body_bytes(ec);
                                  });
        });
    }

    void on_body_bytes(boost::system::error_code ec) {
        if (ec == http::error::need_buffer) ec = {};
        const auto chunk = connection_ ? connection_->body_chunk() : std::span<char>();
        const std::size_t got = connection_ ? chunk.size() - parser_->get().body().size : 0;
        if (got > 0) {
            const std::string_view bytes(chunk.data(), got);
            if (streaming_) {
                if (!cancelled_ && !handlers_.on_body(bytes)) {
                    stop_reading_ = true;
                }
            } else {
                response_.body.append(bytes);
            }
        }
        if (ec) {
            fail_io(ec, "read");
            return;
        }
        if (stop_reading_) {
            connection_->close();
            connection_.reset();
            finish(std::nullopt);
            return;
        }
        if (streaming_ && request_.idle_timeout.count() > 0)
            connection_->expires_after(request_.idle_timeout);
        read_body();
    }

    void complete_ok() {
        if (parser_->keep_alive() && !cancelled_) {
            connection_->expires_never();
            connection_->mark_reused();
            client_->release(std::move(connection_));
        } else {
            connection_->close();
            connection_.reset();
        }
        finish(std::nullopt);
    }

    void fail_io(boost::system::error_code ec, const char* stage) {
        const bool reused = connection_ && connection_->reused();
        if (connection_) {
            connection_->close();
            connection_.reset();
        }
        if (cancelled_) {
            finish(HttpError{ENVMGR_STATUS_CANCELLED, "cancelled"});
            return;
        }
        // A pooled connection the engine closed while idle fails before any response byte:
        // the request never reached it, so one retry on a fresh connection is safe.
        if (reused && !header_seen_ && !retried_) {
            retried_ = true;
            client_->drop_idle();
            connect_fresh();
            return;
        }
        finish(describe(ec, stage));
    }

    [[nodiscard]] HttpError describe(boost::system::error_code ec, const char* stage) const {
        const std::string where = client_->endpoint().text;
        if (ec == boost::beast::error::timeout) {
            return {ENVMGR_STATUS_TIMEOUT, "the Docker engine at " + where + " did not answer within " +
                                               std::to_string(request_.timeout.count()) + " ms (" + stage +
                                               ")"};
        }
        if (ec.category() == boost::system::error_code(http::error::bad_version).category() &&
            ec != http::error::end_of_stream && ec != http::error::partial_message) {
            return {ENVMGR_STATUS_INTERNAL,
                    "malformed response from the Docker engine at " + where + ": " + ec.message()};
        }
        if (header_seen_ || ec == http::error::partial_message) {
            return {ENVMGR_STATUS_UNAVAILABLE,
                    "the Docker engine at " + where + " closed the connection mid-response: " + ec.message()};
        }
        return {ENVMGR_STATUS_UNAVAILABLE,
                "cannot reach the Docker engine at " + where + " (" + stage + "): " + ec.message()};
    }

    void finish(std::optional<HttpError> error) {
        if (finished_) return;
        finished_ = true;
        auto done = std::move(handlers_.on_done);
        handlers_ = {};
        done(std::move(error), std::move(response_));
    }

    std::shared_ptr<HttpClient> client_;
    HttpRequest request_;
    ExchangeHandlers handlers_;
    std::unique_ptr<HttpConnection> connection_;
    http::request<http::string_body> wire_;
    std::optional<http::response_parser<http::buffer_body>> parser_;
    HttpResponse response_;
    std::chrono::steady_clock::time_point started_;
    bool streaming_ = false;
    bool header_seen_ = false;
    bool cancelled_ = false;
    bool finished_ = false;
    bool retried_ = false;
    bool stop_reading_ = false;
};

}  // namespace

HttpClient::HttpClient(boost::asio::io_context& io, Endpoint endpoint)
    : io_(io), endpoint_(std::move(endpoint)) {}

std::shared_ptr<HttpExchange> HttpClient::start(HttpRequest request, ExchangeHandlers handlers) {
    auto exchange = std::make_shared<Exchange>(shared_from_this(), std::move(request), std::move(handlers));
    exchange->start();
    return exchange;
}

std::unique_ptr<HttpConnection> HttpClient::acquire() {
    if (idle_.empty()) return nullptr;
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
}

void HttpClient::release(std::unique_ptr<HttpConnection> connection) {
    if (idle_.size() < kMaxIdleConnections) {
        idle_.push_back(std::move(connection));
    } else {
        connection->close();
    }
}

void HttpClient::drop_idle() {
    for (auto& connection : idle_) connection->close();
    idle_.clear();
}

}  // namespace envmgr::docker
