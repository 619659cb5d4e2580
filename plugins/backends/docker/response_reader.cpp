#include "plugins/backends/docker/response_reader.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

namespace envmgr::plugins::backends::docker {
namespace http = boost::beast::http;

ResponseReader::ResponseReader(std::uint64_t body_limit, std::span<char> scratch) : scratch_(scratch) {
    // Not eager: feed() goes on after the head itself. (Beast 1.74's eager mode parses on
    // after the head and so loses the head's body_limit error.)
    parser_.body_limit(body_limit);
}

std::size_t ResponseReader::feed(std::string_view bytes, ResponseSink& sink, boost::beast::error_code& ec) {
    std::size_t used = 0;
    for (;;) {
        auto& body = parser_.get().body();
        body.data = scratch_.data();
        body.size = scratch_.size();
        const std::size_t n = parser_.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
        used += n;
        if (parser_.is_header_done() && !header_reported_) {
            header_reported_ = true;
            if (!sink.on_header()) {
                ec = {};
                return used;
            }
        }
        const std::size_t decoded = scratch_.size() - body.size;
        if (decoded > 0 && !sink.on_body(std::string_view(scratch_.data(), decoded))) {
            ec = {};
            return used;
        }
        if (ec == http::error::need_buffer) {  // the scratch was full: go on with the rest
            ec = {};
            continue;
        }
        if (ec || parser_.is_done()) return used;
        if (used == bytes.size() || n == 0) {
            ec = http::error::need_more;
            return used;
        }
    }
}

void ResponseReader::feed_eof(boost::beast::error_code& ec) {
    if (!parser_.got_some()) {
        ec = http::error::end_of_stream;
        return;
    }
    parser_.put_eof(ec);
}

std::string ResponseReader::content_type() const {
    return std::string(parser_.get()[http::field::content_type]);
}

}  // namespace envmgr::plugins::backends::docker
