// Fuzzes the metrics frontend's reading of a request: the input is what a client sends on the
// connection, fed to Beast's request parser with the server's limits in pieces of varying size
// (as from a socket) until the header is read, as the server reads it (no route takes a body, so
// a body is never parsed), and a request that parses is routed as the server routes it. Every
// answer that echoes the request must stay short; a crash or a sanitizer report is a bug.
#include "plugins/frontends/metrics/http_routes.h"

#include <boost/beast/http.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

namespace http = boost::beast::http;
using envmgr::plugins::frontends::metrics_frontend::carries_body;
using envmgr::plugins::frontends::metrics_frontend::kRequestLimit;
using envmgr::plugins::frontends::metrics_frontend::route_of;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t piece = 1 + data[0] % 64;
    std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    http::request_parser<http::empty_body> parser;
    parser.header_limit(kRequestLimit);
    boost::beast::error_code ec;
    std::string buffered;
    while (!input.empty() && !parser.is_header_done()) {
        const auto next = input.substr(0, piece);
        input.remove_prefix(next.size());
        buffered.append(next);
        const auto used = parser.put(boost::asio::buffer(buffered), ec);
        buffered.erase(0, used);
        if (ec == http::error::need_more) {
            ec = {};
            continue;
        }
        if (ec) return 0;  // 400 on the wire
    }
    if (!parser.is_header_done()) return 0;
    (void)carries_body(parser);  // the server's keep-alive decision
    const auto& request = parser.get();
    const auto accept = request[http::field::accept];
    const auto decision =
        route_of(std::string_view(request.method_string().data(), request.method_string().size()),
                 std::string_view(request.target().data(), request.target().size()),
                 std::string_view(accept.data(), accept.size()));
    if (decision.reason.size() > 512) std::abort();
    return 0;
}
