#include "plugins/probes/tcp/tcp_check.h"

#include <envmgr/kit/probe/check_connection.h>
#include "plugins/probes/tcp/tcp_reply.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <array>

namespace envmgr::plugins::probes::tcp {
namespace {

using boost::asio::ip::tcp;

// The state of one check, kept alive by its handlers.
struct TcpSession : std::enable_shared_from_this<TcpSession> {
    TcpSession(boost::asio::io_context& io, kit::probe::CheckRunPtr check, TcpTarget where)
        : run(std::move(check)), target(std::move(where)), connection(io), socket(connection.socket()) {}

    void begin() {
        connection.open(run, target.host, target.port, shared_from_this(),
                        [self = shared_from_this()] { self->on_connected(); });
    }

    void on_connected() {
        if (target.send.empty() && target.expect.empty()) return run->healthy("connected");
        run->set_phase("waiting for a reply");
        if (target.send.empty()) return read_more();
        boost::asio::async_write(socket, boost::asio::buffer(target.send),
                                 [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                                     if (self->run->finished()) return;
                                     if (error) {
                                         return self->run->unhealthy("sending failed: " + error.message());
                                     }
                                     self->read_more();
                                 });
    }

    void read_more() {
        socket.async_read_some(boost::asio::buffer(chunk),
                               [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                                   self->on_read(ec, n);
                               });
    }

    void on_read(boost::system::error_code ec, std::size_t n) {
        if (run->finished()) return;
        received.append(chunk.data(), n);
        const bool eof = ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
        if (ec && !eof) return run->unhealthy("reading the reply failed: " + ec.message());
        const auto verdict =
            judge_reply(received, target.expect, eof || received.size() >= target.max_reply_bytes);
        if (!verdict) return read_more();
        connection.close();
        if (verdict->healthy) {
            run->healthy(verdict->message);
        } else {
            run->unhealthy(verdict->message);
        }
    }

    kit::probe::CheckRunPtr run;
    TcpTarget target;
    kit::probe::CheckConnection connection;
    tcp::socket& socket;
    std::array<char, 512> chunk{};
    std::string received;
};

}  // namespace

void run_tcp_check(boost::asio::io_context& io, const kit::probe::CheckRunPtr& run, TcpTarget target) {
    std::make_shared<TcpSession>(io, run, std::move(target))->begin();
}

}  // namespace envmgr::plugins::probes::tcp
