#include "http_connection.h"

#include <boost/asio/ip/tcp.hpp>

#include <memory>

namespace envmgr::docker {
namespace {

std::variant<HttpConnection::UnixStream, HttpConnection::TcpStream> make_stream(boost::asio::io_context& io,
                                                                                const Endpoint& endpoint) {
    if (endpoint.kind == Endpoint::Kind::unix_socket) {
        return std::variant<HttpConnection::UnixStream, HttpConnection::TcpStream>(std::in_place_index<0>,
                                                                                   io);
    }
    return std::variant<HttpConnection::UnixStream, HttpConnection::TcpStream>(std::in_place_index<1>, io);
}

}  // namespace

HttpConnection::HttpConnection(boost::asio::io_context& io, const Endpoint& endpoint)
    : endpoint_(endpoint), io_(io), stream_(make_stream(io, endpoint)) {}

void HttpConnection::async_connect(std::chrono::steady_clock::duration timeout, Handler handler) {
    if (auto* unix_stream = std::get_if<UnixStream>(&stream_)) {
        unix_stream->expires_after(timeout);
        unix_stream->async_connect(boost::asio::local::stream_protocol::endpoint(endpoint_.path),
                                   std::move(handler));
        return;
    }
    auto& tcp_stream = std::get<TcpStream>(stream_);
    tcp_stream.expires_after(timeout);
    // Numeric hosts need no resolver; names go through the asynchronous one.
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(endpoint_.host, ec);
    if (!ec) {
        tcp_stream.async_connect(boost::asio::ip::tcp::endpoint(address, endpoint_.port),
                                 [this, handler = std::move(handler)](boost::system::error_code connect_ec) {
                                     if (!connect_ec) keep_alive_probes();
                                     handler(connect_ec);
                                 });
        return;
    }
    resolver_ = std::make_unique<boost::asio::ip::tcp::resolver>(io_);
    resolver_->async_resolve(
        endpoint_.host, std::to_string(endpoint_.port),
        [this, handler = std::move(handler)](boost::system::error_code resolve_ec,
                                             const boost::asio::ip::tcp::resolver::results_type& results) {
            if (resolve_ec) {
                handler(resolve_ec);
                return;
            }
            std::get<TcpStream>(stream_).async_connect(
                results, [this, handler](boost::system::error_code connect_ec, const auto&) {
                    if (!connect_ec) keep_alive_probes();
                    handler(connect_ec);
                });
        });
}

void HttpConnection::expires_after(std::chrono::steady_clock::duration timeout) {
    visit([&](auto& stream) { stream.expires_after(timeout); });
}

void HttpConnection::expires_never() {
    visit([](auto& stream) { stream.expires_never(); });
}

void HttpConnection::keep_alive_probes() {
    // A long silent stream (events) over TCP must notice a peer that vanished.
    boost::system::error_code ignored;
    std::get<TcpStream>(stream_).socket().set_option(boost::asio::socket_base::keep_alive(true), ignored);
}

void HttpConnection::close() {
    if (resolver_) resolver_->cancel();
    visit([](auto& stream) {
        boost::system::error_code ignored;
        stream.socket().shutdown(boost::asio::socket_base::shutdown_both, ignored);
        stream.socket().close(ignored);
    });
}

}  // namespace envmgr::docker
