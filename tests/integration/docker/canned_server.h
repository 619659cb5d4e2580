// A TCP server on loopback that answers every request with fixed bytes: the broken engines
// (truncated, malformed, silent) that the backend must survive.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

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

private:
    void accept();

    std::string response_;
    After after_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::thread thread_;
};

}  // namespace envmgr::tests
