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
    using Duration = std::chrono::steady_clock::duration;

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

    // What is left of the exchange's deadline (at least 1 ms, so that it still fires).
    [[nodiscard]] Duration remaining() const {
        const Duration left = request_.timeout - (std::chrono::steady_clock::now() - started_);
        return std::max<Duration>(left, std::chrono::milliseconds(1));
    }

    void connect_fresh() {
        connection_ = std::make_unique<HttpConnection>(client_->io(), client_->endpoint());
        armed_ = request_.timeout;
        connection_->async_connect(remaining(), [self = shared_from_this()](boost::system::error_code ec) {
            if (self->cancelled_) ec = boost::asio::error::operation_aborted;
            if (ec) {
                self->fail_io(ec, Stage::connect);
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
        armed_ = request_.timeout;
        connection_->expires_after(remaining());
        connection_->visit([this](auto& stream) {
            http::async_write(stream, wire_,
                              [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                  if (self->cancelled_) ec = boost::asio::error::operation_aborted;
                                  if (ec) {
                                      self->fail_io(ec, Stage::write);
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
                                            self->fail_io(ec, Stage::read);
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
        if (handlers_.on_head && !guarded([&] { handlers_.on_head(response_); })) return;
        if (streaming_) arm_idle_timer();
        read_body();
    }

    void arm_idle_timer() {
        if (request_.idle_timeout.count() > 0) {
            armed_ = request_.idle_timeout;
            connection_->expires_after(request_.idle_timeout);
        } else {
            connection_->expires_never();
        }
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
        const auto chunk = connection_->body_chunk();
        const std::size_t got = chunk.size() - parser_->get().body().size;
        if (got > 0 && !cancelled_) {
            const std::string_view bytes(chunk.data(), got);
            if (streaming_) {
                bool keep_reading = true;
                if (!guarded([&] { keep_reading = handlers_.on_body(bytes); })) return;
                stop_reading_ = !keep_reading;
            } else if (response_.body.size() + got > kMaxPlainBody) {
                fail(HttpError{ENVMGR_STATUS_INTERNAL, "the Docker engine's answer exceeds " +
                                                           std::to_string(kMaxPlainBody >> 20U) + " MiB"});
                return;
            } else {
                response_.body.append(bytes);
            }
        }
        if (ec) {
            fail_io(ec, Stage::read);
            return;
        }
        if (stop_reading_) {
            fail(std::nullopt);  // the caller has what it wanted; the rest is not read
            return;
        }
        if (streaming_ && request_.idle_timeout.count() > 0) {
            connection_->expires_after(request_.idle_timeout);
        }
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

    enum class Stage { connect, write, read };

    // A pooled connection that the engine closed while it sat idle fails on write, or reads
    // EOF before any byte of the answer: the engine never saw the request, so sending it once
    // more on a fresh connection is safe even for a POST. Anything else (a timeout, a reset
    // after the request went out) might have reached the engine and is not retried.
    [[nodiscard]] bool closed_while_idle(boost::system::error_code ec, Stage stage) const {
        if (!connection_ || !connection_->reused() || header_seen_ || retried_) return false;
        if (stage == Stage::write) {
            return ec == boost::asio::error::broken_pipe || ec == boost::asio::error::connection_reset ||
                   ec == boost::asio::error::eof;
        }
        return stage == Stage::read && (ec == http::error::end_of_stream || ec == boost::asio::error::eof);
    }

    void fail_io(boost::system::error_code ec, Stage stage) {
        if (cancelled_) {
            fail(HttpError{ENVMGR_STATUS_CANCELLED, "cancelled"});
            return;
        }
        if (closed_while_idle(ec, stage)) {
            retried_ = true;
            connection_->close();
            connection_.reset();
            client_->drop_idle();
            connect_fresh();
            return;
        }
        fail(describe(ec, stage));
    }

    // Ends the exchange on a connection that is not clean any more: it is closed, not pooled.
    void fail(std::optional<HttpError> error) {
        if (connection_) {
            connection_->close();
            connection_.reset();
        }
        finish(std::move(error));
    }

    [[nodiscard]] HttpError describe(boost::system::error_code ec, Stage stage) const {
        const std::string where = client_->endpoint().text;
        const char* stage_name = stage == Stage::connect ? "connect"
                                 : stage == Stage::write ? "write"
                                                         : "read";
        if (ec == boost::beast::error::timeout) {
            return {
                ENVMGR_STATUS_TIMEOUT,
                "the Docker engine at " + where + " did not answer within " +
                    std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(armed_).count()) +
                    " ms (" + stage_name + ")"};
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
                "cannot reach the Docker engine at " + where + " (" + stage_name + "): " + ec.message()};
    }

    // Runs a caller's handler; an exception ends the exchange with an error instead of
    // escaping into the io loop. Returns false when it threw.
    template <typename Fn>
    bool guarded(Fn&& fn) {
        try {
            fn();
            return true;
        } catch (const std::exception& e) {
            fail(HttpError{ENVMGR_STATUS_INTERNAL,
                           std::string("handling the engine's answer failed: ") + e.what()});
        } catch (...) {
            fail(HttpError{ENVMGR_STATUS_INTERNAL, "handling the engine's answer failed"});
        }
        return false;
    }

    void finish(std::optional<HttpError> error) {
        if (finished_) return;
        finished_ = true;
        if (cancelled_) error = HttpError{ENVMGR_STATUS_CANCELLED, "cancelled"};
        auto done = std::move(handlers_.on_done);
        handlers_ = {};
        try {
            done(std::move(error), std::move(response_));
        } catch (...) {  // the caller's own failure; nothing left to report it to
        }
    }

    std::shared_ptr<HttpClient> client_;
    HttpRequest request_;
    ExchangeHandlers handlers_;
    std::unique_ptr<HttpConnection> connection_;
    http::request<http::string_body> wire_;
    std::optional<http::response_parser<http::buffer_body>> parser_;
    HttpResponse response_;
    std::chrono::steady_clock::time_point started_;
    Duration armed_{};  // the deadline in force, for the timeout message
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
