#include "tests/support/loopback_server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <future>

namespace envmgr::tests {

using boost::asio::ip::tcp;

LoopbackServer::LoopbackServer(Behaviour behaviour, std::vector<std::string> answers)
    : behaviour_(behaviour), answers_(std::move(answers)), acceptor_(io_) {
    acceptor_.open(tcp::v4());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] {
        auto work = boost::asio::make_work_guard(io_);
        io_.run();
    });
}

LoopbackServer::~LoopbackServer() {
    std::promise<void> closed;
    boost::asio::post(io_, [this, &closed] {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        for (auto& socket : held_) socket->close(ignored);
        closed.set_value();
    });
    closed.get_future().wait();
    io_.stop();
    thread_.join();
}

void LoopbackServer::start() {
    std::promise<void> listening;
    boost::asio::post(io_, [this, &listening] {
        acceptor_.listen();
        started_at_ = std::chrono::steady_clock::now();
        accept();
        listening.set_value();
    });
    listening.get_future().wait();
}

std::string LoopbackServer::last_request() const {
    const std::lock_guard lock(mutex_);
    return last_request_;
}

void LoopbackServer::accept() {
    auto socket = std::make_shared<tcp::socket>(io_);
    acceptor_.async_accept(*socket, [this, socket](boost::system::error_code ec) {
        if (ec) return;
        const int index = connections_++;
        serve(socket, index);
        accept();
    });
}

void LoopbackServer::serve(const std::shared_ptr<tcp::socket>& socket, int index) {
    if (behaviour_ == Behaviour::close_at_once) {
        boost::system::error_code ignored;
        socket->close(ignored);
        return;
    }
    auto buffer = std::make_shared<std::array<char, 4096>>();
    socket->async_read_some(boost::asio::buffer(*buffer), [this, socket, buffer, index](
                                                              boost::system::error_code ec, std::size_t n) {
        {
            const std::lock_guard lock(mutex_);
            last_request_.assign(buffer->data(), ec ? 0 : n);
        }
        if (behaviour_ == Behaviour::never_answer || answers_.empty()) {
            held_.push_back(socket);
            return;
        }
        const auto& answer = answers_[std::min(static_cast<std::size_t>(index), answers_.size() - 1)];
        auto text = std::make_shared<std::string>(answer);
        boost::asio::async_write(*socket, boost::asio::buffer(*text),
                                 [socket, text](boost::system::error_code, std::size_t) {
                                     boost::system::error_code ignored;
                                     socket->shutdown(tcp::socket::shutdown_both, ignored);
                                     socket->close(ignored);
                                 });
    });
}

}  // namespace envmgr::tests
