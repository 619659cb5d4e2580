// The connection of one network check (probe.tcp, probe.http): resolve the target's host,
// connect to one of its addresses, and cancel both when the check is aborted (its deadline or a
// cancel). A failure ends the check unhealthy with the reason; on success `connected` runs and
// the socket is the session's to use.
#pragma once

#include <envmgr/kit/probe/check_run.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace envmgr::kit::probe {

class CheckConnection {
public:
    explicit CheckConnection(boost::asio::io_context& io) : resolver_(io), socket_(io) {}

    // owner: the session this connection belongs to, kept alive until the connect ends.
    void open(const CheckRunPtr& run, const std::string& host, std::uint16_t port,
              const std::shared_ptr<void>& owner, std::function<void()> connected);
    [[nodiscard]] boost::asio::ip::tcp::socket& socket() noexcept { return socket_; }
    void close();

private:
    boost::asio::ip::tcp::resolver resolver_;
    boost::asio::ip::tcp::socket socket_;
};

}  // namespace envmgr::kit::probe
