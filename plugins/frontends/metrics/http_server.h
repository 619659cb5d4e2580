// The HTTP/1.1 server of the metrics frontend (Boost.Beast) on a TCP or unix-socket address:
// keep-alive, a deadline per request (a slow client is cut off), requests bounded in size, and
// the answers of http_routes. Everything runs on the frontend's one io thread.
#pragma once

#include <envmgr/sdk/sdk.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace envmgr::plugins::frontends::metrics_frontend {

struct ServerSettings {
    std::string address;                               // host:port or unix:/PATH
    std::chrono::milliseconds request_timeout{10000};  // to read a request and write its answer
    std::chrono::milliseconds health_timeout{3000};    // for the daemon's own health to come back
};

class HttpServer {
public:
    HttpServer(boost::asio::io_context& io, const sdk::Host& host, ServerSettings settings);
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;
    ~HttpServer();

    // Binds and starts accepting; throws sdk::Error(UNAVAILABLE) naming the address when it cannot.
    void listen();
    // Stops accepting (sessions end with the io thread).
    void close();
    // The TCP port listened on (the one the kernel chose for port 0); 0 on a unix socket.
    [[nodiscard]] unsigned short port() const;

    struct State;

private:
    std::shared_ptr<State> state_;
};

}  // namespace envmgr::plugins::frontends::metrics_frontend
