// A TCP server on loopback that answers every request with fixed bytes: the broken engines
// (truncated, malformed, silent) that the backend must survive.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <mutex>
#include <string>
#include <thread>

namespace envmgr::tests {

class CannedServer {
public:
    enum class After { close, hang };

    CannedServer(std::string response, After after);
    ~CannedServer();
    CannedServer(const CannedServer&) = delete;
    CannedServer& operator=(const CannedServer&) = delete;

    [[nodiscard]] std::string docker_host() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
    // The head of the last request received (request line and headers).
    [[nodiscard]] std::string last_request() const;

private:
    void accept();

    std::string response_;
    After after_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::string last_request_;
};

}  // namespace envmgr::tests
