#include "plugins/backends/docker/http_client.h"

#include "plugins/backends/docker/response_reader.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <limits>

namespace envmgr::plugins::backends::docker {
namespace http = boost::beast::http;

namespace {

constexpr std::uint64_t kMaxPlainBody = 256ULL << 20U;

class Exchange final : public HttpExchange,
                       public ResponseSink,
                       public std::enable_shared_from_this<Exchange> {
public:
    Exchange(std::shared_ptr<HttpClient> client, HttpRequest request, ExchangeHandlers handlers)
        : client_(std::move(client)),
          request_(std::move(request)),
          handlers_(std::move(handlers)),
          ticket_(client_->deadlines().none()) {}

    Exchange(const Exchange&) = delete;
    Exchange& operator=(const Exchange&) = delete;
    ~Exchange() override { client_->deadlines().drop(ticket_); }

    void start() {
        // On the io thread (the backend's own calls) the request goes out now, not after
        // another trip through the io loop.
        boost::asio::dispatch(client_->io(), [self = shared_from_this()] { self->begin(); });
    }

    void cancel() override {
        boost::asio::post(client_->io(), [self = shared_from_this()] {
            if (self->finished_) return;
            self->cancelled_ = true;
            if (self->connection_) self->connection_->close();
        });
    }

private:
    using Clock = std::chrono::steady_clock;

    void begin() {
        if (cancelled_) {
            finish(HttpError{ENVMGR_STATUS_CANCELLED, "cancelled"});
            return;
        }
        // One deadline for the whole exchange, counted from its start (connect included).
        watch_deadline(request_.timeout);
        build_request();
        connection_ = client_->acquire();
        if (connection_) {
            write();
            return;
        }
        connect_fresh();
    }

    // After the deadline the connection is closed: what is pending on it then ends with an
    // error, which fail_io reports as the timeout.
    void watch_deadline(Clock::duration timeout) {
        client_->deadlines().drop(ticket_);
        armed_ = timeout;
        ticket_ = client_->deadlines().watch(Clock::now() + timeout, [this] {
            ticket_ = client_->deadlines().none();
            timed_out_ = true;
            if (connection_) connection_->close();
        });
    }

    void unwatch_deadline() {
        client_->deadlines().drop(ticket_);
        ticket_ = client_->deadlines().none();
    }

    void connect_fresh() {
        connection_ = std::make_unique<HttpConnection>(client_->io(), client_->endpoint());
        connection_->async_connect([self = shared_from_this()](boost::system::error_code ec) {
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
        if (interrupted()) {
            fail_io(boost::asio::error::operation_aborted, Stage::write);
            return;
        }
        // Streams are unbounded. (An empty optional would mean "no limit" but Beast 1.74 then
        // rejects every Content-Length body, so the largest value stands for it.)
        reader_.emplace(handlers_.on_body ? std::numeric_limits<std::uint64_t>::max() : kMaxPlainBody,
                        connection_->body_scratch());
        connection_->visit([this](auto& socket) {
            http::async_write(socket, wire_,
                              [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                  if (ec) {
                                      self->fail_io(ec, Stage::write);
                                      return;
                                  }
                                  if (self->parse_buffered() == Progress::need_more) self->read_more();
                              });
        });
    }

    void read_more() {
        auto& buffer = connection_->buffer();
        const std::size_t room = std::max<std::size_t>(kMinRead, buffer.capacity() - buffer.size());
        connection_->visit([&](auto& socket) {
            socket.async_read_some(buffer.prepare(room),
                                   [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                                       self->on_read(ec, n);
                                   });
        });
    }

    void on_read(boost::system::error_code ec, std::size_t n) {
        if (interrupted()) ec = boost::asio::error::operation_aborted;
        if (ec && ec != boost::asio::error::eof) {
            fail_io(ec, Stage::read);
            return;
        }
        connection_->buffer().commit(n);
        if (parse_buffered() == Progress::finished) return;
        if (!ec) {
            read_more();
            return;
        }
        // The engine closed the connection: a body that runs until then is complete now;
        // anything else was cut short.
        boost::beast::error_code eof;
        reader_->feed_eof(eof);
        if (!eof && reader_->done()) {
            complete_ok();
        } else {
            fail_io(eof ? eof : boost::beast::error_code(http::error::partial_message), Stage::read);
        }
    }

    enum class Progress { finished, need_more };

    // Hands what the connection has read to the response reader (and so to the sink).
    Progress parse_buffered() {
        auto& buffer = connection_->buffer();
        const auto bytes = buffer.data();
        boost::beast::error_code ec;
        const std::size_t used =
            reader_->feed(std::string_view(static_cast<const char*>(bytes.data()), bytes.size()), *this, ec);
        buffer.consume(used);
        if (finished_) return Progress::finished;
        if (ec == http::error::need_more) return Progress::need_more;
        if (ec) {
            fail_io(ec, Stage::read);
        } else if (reader_->done()) {
            complete_ok();
        } else {
            fail(std::nullopt);  // the caller has what it wanted; the rest is not read
        }
        return Progress::finished;
    }

    bool on_header() override {
        header_seen_ = true;
        response_.status = reader_->status();
        response_.content_type = reader_->content_type();
        streaming_ = handlers_.on_body && response_.status >= 200 && response_.status < 300;
        if (handlers_.on_head && !guarded([&] { handlers_.on_head(response_); })) return false;
        if (request_.send_after_head && response_.status >= 200 && response_.status < 300) send_upload();
        if (streaming_) {
            if (request_.idle_timeout.count() > 0) {
                watch_deadline(request_.idle_timeout);
            } else {
                unwatch_deadline();
            }
        }
        return true;
    }

    // Runs beside the read of the response (one write and one read may be pending at once).
    void send_upload() {
        connection_->visit([this](auto& socket) {
            boost::asio::async_write(
                socket, boost::asio::buffer(*request_.send_after_head),
                [self = shared_from_this(), &socket](boost::system::error_code ec, std::size_t) {
                    if (ec || self->finished_ || !self->connection_) return;  // the read side reports it
                    boost::system::error_code ignored;
                    socket.shutdown(std::remove_reference_t<decltype(socket)>::shutdown_send, ignored);
                });
        });
    }

    bool on_body(std::string_view bytes) override {
        if (streaming_) {
            if (request_.idle_timeout.count() > 0) watch_deadline(request_.idle_timeout);
            bool keep_reading = true;
            if (!guarded([&] { keep_reading = handlers_.on_body(bytes); })) return false;
            return keep_reading;
        }
        response_.body.append(bytes);  // the reader's body limit bounds it
        return true;
    }

    void complete_ok() {
        if (reader_->keep_alive() && !interrupted() && !request_.send_after_head) {
            connection_->mark_reused();
            client_->release(std::move(connection_));
        } else {
            connection_->close();
            connection_.reset();
        }
        finish(std::nullopt);
    }

    [[nodiscard]] bool interrupted() const { return cancelled_ || timed_out_; }

    enum class Stage { connect, write, read };

    // A pooled connection that the engine closed while it sat idle fails on write, or reads
    // EOF before any byte of the answer: the engine never saw the request, so sending it once
    // more on a fresh connection is safe even for a POST. A reset while reading, before any byte,
    // is the same race when the write landed in the socket's buffer just as the engine closed
    // it, but the request might have reached the engine: only a GET or HEAD is sent again then
    // (as Go's own client does). Anything else (a timeout, a reset after the answer began) is
    // not retried.
    [[nodiscard]] bool closed_while_idle(boost::system::error_code ec, Stage stage) const {
        if (!connection_ || !connection_->reused() || header_seen_ || retried_ || interrupted()) return false;
        if (stage == Stage::write) {
            return ec == boost::asio::error::broken_pipe || ec == boost::asio::error::connection_reset ||
                   ec == boost::asio::error::eof;
        }
        const bool reads_only = request_.method == http::verb::get || request_.method == http::verb::head;
        return stage == Stage::read && (ec == http::error::end_of_stream || ec == boost::asio::error::eof ||
                                        (ec == boost::asio::error::connection_reset && reads_only));
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
        if (timed_out_) {
            return {
                ENVMGR_STATUS_TIMEOUT,
                "the Docker engine at " + where + " did not answer within " +
                    std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(armed_).count()) +
                    " ms (" + stage_name + ")"};
        }
        if (ec == http::error::body_limit) {
            return {ENVMGR_STATUS_INTERNAL,
                    "the Docker engine's answer exceeds " + std::to_string(kMaxPlainBody >> 20U) + " MiB"};
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
        unwatch_deadline();
        if (cancelled_) error = HttpError{ENVMGR_STATUS_CANCELLED, "cancelled"};
        auto done = std::move(handlers_.on_done);
        handlers_ = {};
        try {
            done(std::move(error), std::move(response_));
        } catch (...) {  // the caller's own failure; nothing left to report it to
        }
    }

    static constexpr std::size_t kMinRead = 4096;

    std::shared_ptr<HttpClient> client_;
    HttpRequest request_;
    ExchangeHandlers handlers_;
    std::unique_ptr<HttpConnection> connection_;
    http::request<http::string_body> wire_;
    std::optional<ResponseReader> reader_;
    HttpResponse response_;
    DeadlineWatch::Ticket ticket_;
    Clock::duration armed_{};  // the deadline in force, for the timeout message
    bool streaming_ = false;
    bool header_seen_ = false;
    bool cancelled_ = false;
    bool timed_out_ = false;
    bool finished_ = false;
    bool retried_ = false;
};

}  // namespace

HttpClient::HttpClient(boost::asio::io_context& io, Endpoint endpoint)
    : io_(io), endpoint_(std::move(endpoint)), deadlines_(io) {}

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

void HttpClient::shutdown() {
    drop_idle();
    deadlines_.stop();
}

void HttpClient::drop_idle() {
    for (auto& connection : idle_) connection->close();
    idle_.clear();
}

}  // namespace envmgr::plugins::backends::docker
