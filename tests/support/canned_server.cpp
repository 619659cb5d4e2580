#include "tests/support/canned_server.h"

#include <boost/asio/buffers_iterator.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <memory>

namespace envmgr::tests {

CannedServer::CannedServer(std::string response, After after)
    : response_(std::move(response)),
      after_(after),
      acceptor_(io_, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { io_.run(); });
}

CannedServer::~CannedServer() {
    io_.stop();
    thread_.join();
}

std::string CannedServer::last_request() const {
    const std::lock_guard lock(mutex_);
    return last_request_;
}

void CannedServer::accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
        if (ec) return;
        auto peer = std::make_shared<boost::asio::ip::tcp::socket>(std::move(socket));
        auto request = std::make_shared<boost::asio::streambuf>();
        boost::asio::async_read_until(
            *peer, *request, "\r\n\r\n",
            [this, peer, request](boost::system::error_code read_ec, std::size_t) {
                if (read_ec) return;
                {
                    const std::lock_guard lock(mutex_);
                    last_request_.assign(boost::asio::buffers_begin(request->data()),
                                         boost::asio::buffers_end(request->data()));
                }
                boost::asio::async_write(
                    *peer, boost::asio::buffer(response_),
                    [this, peer](boost::system::error_code, std::size_t) {
                        if (after_ == After::close) {
                            boost::system::error_code ignored;
                            peer->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
                            peer->close(ignored);
                        }
                        // After::hang: the socket stays open (peer is kept by nothing but the pending
                        // read below) and nothing more is sent.
                        if (after_ == After::hang) {
                            auto sink = std::make_shared<std::array<char, 1024>>();
                            peer->async_read_some(boost::asio::buffer(*sink),
                                                  [peer, sink](boost::system::error_code, std::size_t) {});
                        }
                    });
            });
        accept();
    });
}

}  // namespace envmgr::tests
