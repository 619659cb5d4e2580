#include "plugins/probes/http/http_check.h"

#include <envmgr/kit/probe/check_connection.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <optional>

namespace envmgr::plugins::probes::http {
namespace {

using boost::asio::ip::tcp;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

constexpr std::uint32_t kHeaderLimit = 16U * 1024U;

struct HttpSession : std::enable_shared_from_this<HttpSession> {
    HttpSession(boost::asio::io_context& io, kit::probe::CheckRunPtr check, HttpTarget where)
        : run(std::move(check)), target(std::move(where)), connection(io), socket(connection.socket()) {}

    void begin() {
        request.method(target.method == "HEAD" ? bhttp::verb::head : bhttp::verb::get);
        request.target(target.path.empty() ? "/" : target.path);
        request.version(11);
        request.set(bhttp::field::host, host_header(target.host, target.port));
        request.set(bhttp::field::user_agent, "env-manager-probe");
        request.set(bhttp::field::connection, "close");
        for (const auto& [name, value] : target.headers) request.set(name, value);
        parser.emplace();
        parser->header_limit(kHeaderLimit);
        parser->body_limit(target.max_response_bytes);
        if (target.method == "HEAD") parser->skip(true);

        connection.open(run, target.host, target.port, shared_from_this(),
                        [self = shared_from_this()] { self->on_connected(); });
    }

    void on_connected() {
        run->set_phase("waiting for the answer");
        bhttp::async_write(
            socket, request, [self = shared_from_this()](beast::error_code error, std::size_t) {
                if (self->run->finished()) return;
                if (error) return self->run->unhealthy("sending the request failed: " + error.message());
                // The header first: Beast 1.74 loses a Content-Length over the body limit when it reads
                // header and body in one go (eager mode), and without a body check the header is all
                // the verdict needs.
                bhttp::async_read_header(
                    self->socket, self->buffer, *self->parser,
                    [self](beast::error_code read_error, std::size_t) { self->on_header(read_error); });
            });
    }

    void on_header(beast::error_code ec) {
        if (run->finished()) return;
        if (ec || parser->is_done() || target.expect.body_contains.empty()) return on_read(ec);
        bhttp::async_read(socket, buffer, *parser,
                          [self = shared_from_this()](beast::error_code read_error, std::size_t) {
                              self->on_read(read_error);
                          });
    }

    void on_read(beast::error_code ec) {
        if (run->finished()) return;
        boost::system::error_code ignored;
        socket.close(ignored);
        const bool cut = ec == bhttp::error::body_limit;
        if (ec && !cut) {
            // A peer that closes before any status line (the userland proxy) is not ready.
            if (!parser->is_header_done()) return run->unhealthy("no HTTP answer: " + ec.message());
            return run->unhealthy("the answer broke off: " + ec.message());
        }
        const auto& response = parser->get();
        const auto verdict = judge_http(response.result_int(), response.body(), !cut, target.expect);
        kit::probe::CheckRun::Details details{{"status", std::to_string(response.result_int())}};
        if (verdict.healthy) {
            run->healthy(verdict.message, std::move(details));
        } else {
            run->unhealthy(verdict.message, std::move(details));
        }
    }

    kit::probe::CheckRunPtr run;
    HttpTarget target;
    kit::probe::CheckConnection connection;
    tcp::socket& socket;
    beast::flat_buffer buffer;
    bhttp::request<bhttp::empty_body> request;
    std::optional<bhttp::response_parser<bhttp::string_body>> parser;
};

}  // namespace

void run_http_check(boost::asio::io_context& io, const kit::probe::CheckRunPtr& run, HttpTarget target) {
    std::make_shared<HttpSession>(io, run, std::move(target))->begin();
}

}  // namespace envmgr::plugins::probes::http
