#include "plugins/backends/docker/http_connection.h"

#include <boost/asio/connect.hpp>

#include <memory>

namespace envmgr::plugins::backends::docker {
namespace {

std::variant<HttpConnection::UnixSocket, HttpConnection::TcpSocket> make_socket(boost::asio::io_context& io,
                                                                                const Endpoint& endpoint) {
    if (endpoint.kind == Endpoint::Kind::unix_socket) {
        return std::variant<HttpConnection::UnixSocket, HttpConnection::TcpSocket>(std::in_place_index<0>,
                                                                                   io);
    }
    return std::variant<HttpConnection::UnixSocket, HttpConnection::TcpSocket>(std::in_place_index<1>, io);
}

}  // namespace

HttpConnection::HttpConnection(boost::asio::io_context& io, const Endpoint& endpoint)
    : endpoint_(endpoint), io_(io), socket_(make_socket(io, endpoint)) {
    // Reads fill what the buffer has room for, and an empty one would read 512 bytes at a
    // time: reserve enough that a typical answer arrives in one read.
    buffer_.reserve(kReadBuffer);
}

void HttpConnection::async_connect(Handler handler) {
    if (auto* unix_socket = std::get_if<UnixSocket>(&socket_)) {
        unix_socket->async_connect(boost::asio::local::stream_protocol::endpoint(endpoint_.path),
                                   std::move(handler));
        return;
    }
    auto& tcp_socket = std::get<TcpSocket>(socket_);
    // Numeric hosts need no resolver; names go through the asynchronous one.
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(endpoint_.host, ec);
    if (!ec) {
        tcp_socket.async_connect(boost::asio::ip::tcp::endpoint(address, endpoint_.port),
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
            boost::asio::async_connect(std::get<TcpSocket>(socket_), results,
                                       [this, handler](boost::system::error_code connect_ec, const auto&) {
                                           if (!connect_ec) keep_alive_probes();
                                           handler(connect_ec);
                                       });
        });
}

void HttpConnection::keep_alive_probes() {
    // A long silent stream (events) over TCP must notice a peer that vanished.
    boost::system::error_code ignored;
    std::get<TcpSocket>(socket_).set_option(boost::asio::socket_base::keep_alive(true), ignored);
}

void HttpConnection::close() {
    if (resolver_) resolver_->cancel();
    visit([](auto& socket) {
        boost::system::error_code ignored;
        socket.shutdown(boost::asio::socket_base::shutdown_both, ignored);
        socket.close(ignored);
    });
}

}  // namespace envmgr::plugins::backends::docker
