// A TCP server on 127.0.0.1 for probe tests, playing the peers a probe meets: a service that
// starts listening late, one that accepts and closes without a word (Docker's userland proxy in
// front of a service not yet up), one that never answers, and one whose answers change from one
// connection to the next (Redis -LOADING then +PONG, HTTP 500 then 200).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace envmgr::tests {

class LoopbackServer {
public:
    enum class Behaviour {
        answer,         // read the request, write the next scripted answer, close
        close_at_once,  // accept and close without reading or writing
        never_answer,   // accept, read, and keep the connection open without a word
    };

    // The port is bound at once (so it is known) but only listens from start().
    explicit LoopbackServer(Behaviour behaviour, std::vector<std::string> answers = {});
    ~LoopbackServer();
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    // Starts accepting; until then a connection is refused.
    void start();
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    [[nodiscard]] int connections() const noexcept { return connections_.load(); }
    // The bytes received on the last connection (the probe's request).
    [[nodiscard]] std::string last_request() const;
    // When start() made the server accept.
    [[nodiscard]] std::chrono::steady_clock::time_point started_at() const noexcept { return started_at_; }

private:
    void accept();
    void serve(const std::shared_ptr<boost::asio::ip::tcp::socket>& socket, int index);

    Behaviour behaviour_;
    std::vector<std::string> answers_;  // per connection; the last one repeats
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::atomic<int> connections_{0};
    std::chrono::steady_clock::time_point started_at_{};
    std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> held_;  // never_answer keeps them
    mutable std::mutex mutex_;
    std::string last_request_;
    std::thread thread_;
};

}  // namespace envmgr::tests
