#include "plugins/backends/docker/response_reader.h"

#include <gtest/gtest.h>
#include <boost/beast/http/error.hpp>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace http = boost::beast::http;
using envmgr::plugins::backends::docker::ResponseReader;

class RecordingSink final : public envmgr::plugins::backends::docker::ResponseSink {
public:
    bool on_header() override {
        ++headers;
        return stop_at_header == false;
    }
    bool on_body(std::string_view bytes) override {
        pieces.emplace_back(bytes);
        body.append(bytes);
        return body.size() < stop_after_bytes;
    }
    int headers = 0;
    std::vector<std::string> pieces;
    std::string body;
    bool stop_at_header = false;
    std::size_t stop_after_bytes = std::string::npos;
};

// Feeds text in pieces of `piece` bytes, keeping what the reader leaves, as the connection does.
boost::beast::error_code feed_in_pieces(ResponseReader& reader, RecordingSink& sink, std::string_view text,
                                        std::size_t piece) {
    std::string buffered;
    boost::beast::error_code ec;
    for (std::size_t offset = 0; offset < text.size() && !reader.done(); offset += piece) {
        buffered.append(text.substr(offset, piece));
        const std::size_t used = reader.feed(buffered, sink, ec);
        buffered.erase(0, used);
        if (ec && ec != http::error::need_more) return ec;
    }
    return ec;
}

TEST(ResponseReader, AWholeSizedResponseIsParsedInOneStep) {
    std::array<char, 64> scratch{};
    ResponseReader reader(1024, scratch);
    RecordingSink sink;
    const std::string text =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"Id\":\"ab\"}";
    boost::beast::error_code ec;
    EXPECT_EQ(reader.feed(text, sink, ec), text.size());
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_TRUE(reader.done());
    EXPECT_EQ(reader.status(), 200U);
    EXPECT_EQ(reader.content_type(), "application/json");
    EXPECT_TRUE(reader.keep_alive());
    EXPECT_EQ(sink.headers, 1);
    EXPECT_EQ(sink.body, "{\"Id\":\"ab\"}");
}

TEST(ResponseReader, ABodyLargerThanTheScratchComesInPieces) {
    std::array<char, 16> scratch{};
    ResponseReader reader(1024, scratch);
    RecordingSink sink;
    const std::string body(100, 'x');
    const std::string text = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + body;
    boost::beast::error_code ec;
    EXPECT_EQ(reader.feed(text, sink, ec), text.size());
    EXPECT_FALSE(ec);
    EXPECT_EQ(sink.body, body);
    EXPECT_GE(sink.pieces.size(), 7U);
}

TEST(ResponseReader, AChunkedResponseSplitAtEveryByteDecodesAsWhole) {
    const std::string text =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n";
    for (std::size_t piece = 1; piece <= text.size(); ++piece) {
        std::array<char, 8> scratch{};
        ResponseReader reader(1024, scratch);
        RecordingSink sink;
        const auto ec = feed_in_pieces(reader, sink, text, piece);
        EXPECT_FALSE(ec && ec != http::error::need_more) << ec.message();
        EXPECT_TRUE(reader.done()) << "piece " << piece;
        EXPECT_EQ(sink.body, "hello, world") << "piece " << piece;
        EXPECT_EQ(sink.headers, 1);
    }
}

TEST(ResponseReader, AnIncompleteResponseNeedsMore) {
    std::array<char, 64> scratch{};
    ResponseReader reader(1024, scratch);
    RecordingSink sink;
    boost::beast::error_code ec;
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234";
    EXPECT_EQ(reader.feed(head, sink, ec), head.size());
    EXPECT_EQ(ec, http::error::need_more);
    EXPECT_FALSE(reader.done());
    EXPECT_EQ(sink.body, "01234");
    reader.feed_eof(ec);
    EXPECT_EQ(ec, http::error::partial_message);
}

TEST(ResponseReader, EndOfStreamBeforeAnyByteIsReportedAsSuch) {
    std::array<char, 64> scratch{};
    ResponseReader reader(1024, scratch);
    boost::beast::error_code ec;
    reader.feed_eof(ec);
    EXPECT_EQ(ec, http::error::end_of_stream);
}

TEST(ResponseReader, ABodyUntilTheConnectionClosesEndsAtEof) {
    std::array<char, 64> scratch{};
    ResponseReader reader(1024, scratch);
    RecordingSink sink;
    boost::beast::error_code ec;
    const std::string text = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nraw stream";
    reader.feed(text, sink, ec);
    EXPECT_EQ(ec, http::error::need_more);
    reader.feed_eof(ec);
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_TRUE(reader.done());
    EXPECT_FALSE(reader.keep_alive());
    EXPECT_EQ(sink.body, "raw stream");
}

TEST(ResponseReader, TheSinkCanStopTheReader) {
    std::array<char, 4> scratch{};
    ResponseReader reader(1024, scratch);
    RecordingSink sink;
    sink.stop_after_bytes = 4;
    boost::beast::error_code ec;
    const std::string text = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n0123456789ab";
    EXPECT_LT(reader.feed(text, sink, ec), text.size());
    EXPECT_FALSE(ec);
    EXPECT_FALSE(reader.done());
    EXPECT_EQ(sink.body, "0123");
}

TEST(ResponseReader, GarbageAndOversizedBodiesAreParseErrors) {
    std::array<char, 64> scratch{};
    RecordingSink sink;
    boost::beast::error_code ec;
    ResponseReader garbage(1024, scratch);
    garbage.feed("SSH-2.0-OpenSSH_9.2\r\n\r\n", sink, ec);
    EXPECT_TRUE(ec && ec != http::error::need_more) << ec.message();
    ResponseReader limited(8, scratch);
    limited.feed("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n123456789", sink, ec);
    EXPECT_EQ(ec, http::error::body_limit);
}

}  // namespace
