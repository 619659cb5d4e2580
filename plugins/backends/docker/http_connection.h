// One HTTP/1.1 connection to the engine, over a unix socket or TCP, with Beast's per-operation
// timeouts.
#pragma once

#include "endpoint.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <variant>

namespace envmgr::docker {

class HttpConnection {
public:
    using UnixStream = boost::beast::basic_stream<boost::asio::local::stream_protocol>;
    using TcpStream = boost::beast::tcp_stream;
    using Handler = std::function<void(boost::system::error_code)>;

    HttpConnection(boost::asio::io_context& io, const Endpoint& endpoint);

    void async_connect(std::chrono::steady_clock::duration timeout, Handler handler);
    void expires_after(std::chrono::steady_clock::duration timeout);
    void expires_never();
    void close();

    // Runs fn with the concrete stream (for Beast's read/write algorithms).
    template <typename Fn>
    decltype(auto) visit(Fn&& fn) {
        return std::visit(std::forward<Fn>(fn), stream_);
    }

    boost::beast::flat_buffer& buffer() noexcept { return buffer_; }
    // Where response body bytes land; kept with the connection so that an exchange on a
    // pooled connection allocates nothing.
    std::span<char> body_chunk() noexcept { return {body_chunk_.get(), kBodyChunk}; }
    [[nodiscard]] bool reused() const noexcept { return reused_; }
    void mark_reused() noexcept { reused_ = true; }

private:
    void keep_alive_probes();

    const Endpoint& endpoint_;
    boost::asio::io_context& io_;
    std::variant<UnixStream, TcpStream> stream_;
    std::unique_ptr<boost::asio::ip::tcp::resolver> resolver_;  // tcp names only
    static constexpr std::size_t kBodyChunk = std::size_t{64} * 1024;
    boost::beast::flat_buffer buffer_;  // bytes read past one response stay for the next
    std::unique_ptr<char[]> body_chunk_{new char[kBodyChunk]};
    bool reused_ = false;
};

}  // namespace envmgr::docker
