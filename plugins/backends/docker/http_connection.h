// One HTTP/1.1 connection to the engine, over a unix socket or TCP. Deadlines are not kept
// here: the client's DeadlineWatch closes a connection whose exchange ran out of time.
#pragma once

#include "plugins/backends/docker/endpoint.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <functional>
#include <memory>
#include <span>
#include <variant>

namespace envmgr::plugins::backends::docker {

class HttpConnection {
public:
    using UnixSocket = boost::asio::local::stream_protocol::socket;
    using TcpSocket = boost::asio::ip::tcp::socket;
    using Handler = std::function<void(boost::system::error_code)>;

    HttpConnection(boost::asio::io_context& io, const Endpoint& endpoint);

    void async_connect(Handler handler);
    void close();

    // Runs fn with the concrete socket (for asio's and Beast's algorithms).
    template <typename Fn>
    decltype(auto) visit(Fn&& fn) {
        return std::visit(std::forward<Fn>(fn), socket_);
    }

    // Bytes read and not yet parsed; bytes past one response stay for the next.
    boost::beast::flat_buffer& buffer() noexcept { return buffer_; }
    // Where decoded body bytes land; kept with the connection so that an exchange on a
    // pooled connection allocates nothing for it.
    std::span<char> body_scratch() noexcept { return {body_scratch_.get(), kBodyScratch}; }
    [[nodiscard]] bool reused() const noexcept { return reused_; }
    void mark_reused() noexcept { reused_ = true; }

private:
    void keep_alive_probes();

    static constexpr std::size_t kBodyScratch = std::size_t{64} * 1024;
    static constexpr std::size_t kReadBuffer = std::size_t{64} * 1024;

    const Endpoint& endpoint_;
    boost::asio::io_context& io_;
    std::variant<UnixSocket, TcpSocket> socket_;
    std::unique_ptr<boost::asio::ip::tcp::resolver> resolver_;  // tcp names only
    boost::beast::flat_buffer buffer_;
    std::unique_ptr<char[]> body_scratch_{new char[kBodyScratch]};
    bool reused_ = false;
};

}  // namespace envmgr::plugins::backends::docker
