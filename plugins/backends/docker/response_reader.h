// Turns the bytes of one HTTP/1.1 response, as they are read from a connection, into its
// head and body, with Beast's parser. The caller does the reading, so that a response that
// arrives in one read is handled in one step, with no further trip through the io loop.
#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace envmgr::plugins::backends::docker {

// Receives what the reader finds. Returning false stops the reader at once.
class ResponseSink {
public:
    ResponseSink() = default;
    ResponseSink(const ResponseSink&) = delete;
    ResponseSink& operator=(const ResponseSink&) = delete;
    virtual ~ResponseSink() = default;

    virtual bool on_header() = 0;
    virtual bool on_body(std::string_view bytes) = 0;
};

class ResponseReader {
public:
    // scratch: where decoded body bytes land before they go to the sink (chunked bodies are
    // decoded in place by Beast); it must outlive the reader.
    ResponseReader(std::uint64_t body_limit, std::span<char> scratch);

    // Parses what it can of bytes and returns how many it used (the caller keeps the rest for
    // the next call). ec: need_more when the response is not complete yet, or the parse error.
    // Returns early, with ec clear, when the sink says stop.
    std::size_t feed(std::string_view bytes, ResponseSink& sink, boost::beast::error_code& ec);
    // The connection ended. ec: end_of_stream before any byte, partial_message mid-response,
    // clear when the body was "until the connection closes" and is now complete.
    void feed_eof(boost::beast::error_code& ec);

    [[nodiscard]] bool header_done() const { return parser_.is_header_done(); }
    [[nodiscard]] bool done() const { return parser_.is_done(); }
    [[nodiscard]] bool keep_alive() const { return parser_.keep_alive(); }
    [[nodiscard]] unsigned status() const { return parser_.get().result_int(); }
    [[nodiscard]] std::string content_type() const;

private:
    boost::beast::http::response_parser<boost::beast::http::buffer_body> parser_;
    std::span<char> scratch_;
    bool header_reported_ = false;
};

}  // namespace envmgr::plugins::backends::docker
