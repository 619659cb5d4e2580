#include <envmgr/kit/probe/check_connection.h>

#include <boost/asio/connect.hpp>

namespace envmgr::kit::probe {

using boost::asio::ip::tcp;

void CheckConnection::open(const CheckRunPtr& run, const std::string& host, std::uint16_t port,
                           const std::shared_ptr<void>& owner, std::function<void()> connected) {
    run->on_abort([this, owner] {
        resolver_.cancel();
        close();
    });
    run->set_phase("connecting to " + host + ":" + std::to_string(port));
    resolver_.async_resolve(
        host, std::to_string(port),
        [this, run, host, owner, connected = std::move(connected)](
            boost::system::error_code ec, const tcp::resolver::results_type& endpoints) mutable {
            if (run->finished()) return;
            if (ec) return run->unhealthy("cannot resolve " + host + ": " + ec.message());
            boost::asio::async_connect(socket_, endpoints,
                                       [run, owner, connected = std::move(connected)](
                                           boost::system::error_code error, const tcp::endpoint&) {
                                           if (run->finished()) return;
                                           if (error) return run->unhealthy(error.message());
                                           connected();
                                       });
        });
}

void CheckConnection::close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
}

}  // namespace envmgr::kit::probe
