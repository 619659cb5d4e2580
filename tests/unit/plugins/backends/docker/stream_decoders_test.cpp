#include "plugins/backends/docker/stream_decoders.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace envmgr::plugins::backends::docker {
namespace {

std::string frame(char stream, const std::string& payload) {
    std::string out{stream, 0, 0, 0};
    const auto n = static_cast<std::uint32_t>(payload.size());
    out.push_back(static_cast<char>((n >> 24U) & 0xFFU));
    out.push_back(static_cast<char>((n >> 16U) & 0xFFU));
    out.push_back(static_cast<char>((n >> 8U) & 0xFFU));
    out.push_back(static_cast<char>(n & 0xFFU));
    return out + payload;
}

TEST(JsonLineSplitter, LinesSurviveAnyChunking) {
    const std::string stream = "{\"a\":1}\r\n{\"b\":2}\n\n{\"c\":3}\r\n";
    for (std::size_t chunk = 1; chunk <= stream.size(); ++chunk) {
        JsonLineSplitter splitter;
        std::vector<std::string> lines;
        for (std::size_t i = 0; i < stream.size(); i += chunk) {
            ASSERT_TRUE(splitter.feed(std::string_view(stream).substr(i, chunk),
                                      [&](std::string_view line) { lines.emplace_back(line); }));
        }
        EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}))
            << "chunk " << chunk;
        EXPECT_TRUE(splitter.rest().empty());
    }
}

TEST(JsonLineSplitter, UnterminatedTailIsKeptAndHugeLinesAreRejected) {
    JsonLineSplitter splitter;
    splitter.feed("{\"a\":1}\n{\"tail\"", [](std::string_view) {});
    EXPECT_EQ(splitter.rest(), "{\"tail\"");
    JsonLineSplitter huge;
    const std::string big(JsonLineSplitter::kMaxLine + 1, 'x');
    EXPECT_FALSE(huge.feed(big, [](std::string_view) {}));
}

TEST(LogFrameDecoder, FramesSurviveAnyChunking) {
    const std::string stream =
        frame(1, "out1\n") + frame(2, "err1\n") + frame(1, "") + frame(1, std::string(70000, 'y'));
    for (const std::size_t chunk : {1UL, 3UL, 7UL, 8UL, 9UL, 4096UL, stream.size()}) {
        LogFrameDecoder decoder;
        std::vector<std::pair<std::string, std::size_t>> frames;
        for (std::size_t i = 0; i < stream.size(); i += chunk) {
            ASSERT_TRUE(decoder.feed(std::string_view(stream).substr(i, chunk),
                                     [&](LogFrameDecoder::Stream s, std::string_view payload) {
                                         frames.emplace_back(std::string(stream_name(s)) + ":" +
                                                                 std::string(payload.substr(0, 5)),
                                                             payload.size());
                                     }))
                << decoder.error();
        }
        const std::vector<std::pair<std::string, std::size_t>> expected{
            {"stdout:out1\n", 5}, {"stderr:err1\n", 5}, {"stdout:", 0}, {"stdout:yyyyy", 70000}};
        EXPECT_EQ(frames, expected) << "chunk " << chunk;
        EXPECT_FALSE(decoder.truncated());
    }
}

TEST(LogFrameDecoder, MalformedHeadersAndTruncationAreReported) {
    LogFrameDecoder bad_type;
    EXPECT_FALSE(bad_type.feed(std::string("\x07\0\0\0\0\0\0\x01x", 9), [](auto, auto) {}));
    EXPECT_EQ(bad_type.error(), "malformed log frame header (stream type 7)");

    LogFrameDecoder oversize;
    EXPECT_FALSE(oversize.feed(std::string("\x01\0\0\0\x7f\xff\xff\xff", 8), [](auto, auto) {}));

    LogFrameDecoder cut;
    EXPECT_TRUE(cut.feed(frame(1, "hello").substr(0, 10), [](auto, auto) {}));
    EXPECT_TRUE(cut.truncated());
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
