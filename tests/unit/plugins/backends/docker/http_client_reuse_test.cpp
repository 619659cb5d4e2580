// A pooled connection the engine drops just as a request goes out on it: the reset comes while
// the client reads, before any byte of the answer. A GET is sent once more on a fresh connection;
// a POST, which the engine may have carried out, is not.
#include "plugins/backends/docker/endpoint.h"
#include "plugins/backends/docker/http_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

namespace envmgr::plugins::backends::docker {
namespace {

namespace http = boost::beast::http;

// Answers the first request of its first connection and keeps it open; resets that connection
// (SO_LINGER 0) when the second request arrives on it; answers every later connection once.
class DroppingServer {
public:
    DroppingServer() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(listener_, 4) != 0) {
            throw std::runtime_error("cannot listen on loopback");
        }
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~DroppingServer() {
        ::shutdown(listener_, SHUT_RDWR);
        ::close(listener_);
        thread_.join();
    }
    DroppingServer(const DroppingServer&) = delete;
    DroppingServer& operator=(const DroppingServer&) = delete;

    [[nodiscard]] std::string host() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] int connections() const { return connections_.load(); }

private:
    static bool read_request(int peer) {
        std::string seen;
        char buffer[1024];
        while (seen.find("\r\n\r\n") == std::string::npos) {
            const auto got = ::read(peer, buffer, sizeof buffer);
            if (got <= 0) return false;
            seen.append(buffer, static_cast<std::size_t>(got));
        }
        return true;
    }
    static void answer(int peer) {
        const std::string reply =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        (void)::write(peer, reply.data(), reply.size());
    }
    void serve() {
        for (;;) {
            const int peer = ::accept(listener_, nullptr, nullptr);
            if (peer < 0) return;
            if (++connections_ == 1 && read_request(peer)) {
                answer(peer);
                if (read_request(peer)) {
                    const linger reset{1, 0};
                    ::setsockopt(peer, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
                }
            } else if (read_request(peer)) {
                answer(peer);
            }
            ::close(peer);
        }
    }

    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<int> connections_{0};
    std::thread thread_;
};

class HttpClientReuse : public ::testing::Test {
protected:
    void TearDown() override {
        client_->shutdown();
        work_.reset();
        thread_.join();
    }
    std::optional<HttpError> exchange(http::verb method) {
        std::promise<std::optional<HttpError>> done;
        boost::asio::post(io_, [&] {
            HttpRequest request;
            request.method = method;
            request.target = "/v1.41/services";
            client_->start(std::move(request),
                           {.on_body = {},
                            .on_head = {},
                            .on_done = [&](std::optional<HttpError> error, const HttpResponse&) {
                                done.set_value(std::move(error));
                            }});
        });
        return done.get_future().get();
    }

    DroppingServer server_;
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
    std::thread thread_{[this] { io_.run(); }};
    std::shared_ptr<HttpClient> client_ = std::make_shared<HttpClient>(io_, parse_endpoint(server_.host()));
};

TEST_F(HttpClientReuse, AGetResetBeforeItsAnswerOnAPooledConnectionIsSentAgainOnAFreshOne) {
    ASSERT_FALSE(exchange(http::verb::get).has_value());
    const auto again = exchange(http::verb::get);
    EXPECT_FALSE(again.has_value()) << again->message;
    EXPECT_EQ(server_.connections(), 2);
}

TEST_F(HttpClientReuse, APostResetBeforeItsAnswerIsAFailureNotSentTwice) {
    ASSERT_FALSE(exchange(http::verb::get).has_value());
    const auto failed = exchange(http::verb::post);
    ASSERT_TRUE(failed.has_value());
    EXPECT_EQ(failed->status, ENVMGR_STATUS_UNAVAILABLE) << failed->message;
    EXPECT_EQ(server_.connections(), 1);
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
