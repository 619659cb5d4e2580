// Fuzzes what backend.docker parses from the engine: HTTP responses (chunked or sized bodies),
// newline-delimited JSON (pull progress, events), multiplexed log frames, and the JSON
// documents mapped from inspect and stats. The first input byte picks the target.
#include "engine_mapping.h"
#include "pull_progress.h"
#include "stream_decoders.h"

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using envmgr::docker::JsonLineSplitter;
using envmgr::docker::LogFrameDecoder;

// The mappings may throw nlohmann::json::exception on documents of the wrong shape: that is
// their contract (the backend turns it into an error status). Anything else is a bug.
void decode_body(std::string_view body) {
    JsonLineSplitter splitter;
    envmgr::docker::PullProgress progress("fuzz");
    splitter.feed(body, [&](std::string_view line) {
        const auto json = nlohmann::json::parse(line, nullptr, false);
        try {
            (void)progress.on_line(json);
        } catch (const nlohmann::json::exception&) {
        }
    });
    LogFrameDecoder frames;
    frames.feed(body, [](LogFrameDecoder::Stream, std::string_view) {});
}

void parse_http(std::string_view bytes) {
    namespace http = boost::beast::http;
    // As HttpClient reads: a buffer_body parser, the body collected piece by piece.
    http::response_parser<http::buffer_body> parser;
    parser.eager(true);
    parser.body_limit(1U << 20U);
    std::string body;
    std::array<char, 512> chunk{};
    boost::beast::error_code ec;
    // Bytes arrive in small pieces, as from a socket. Beast does not keep an unparsed tail, so
    // the window grows until the parser can use it, as a read buffer would.
    std::size_t offset = 0;
    std::size_t end = 0;
    while (offset < bytes.size() && !parser.is_done()) {
        end = std::min(bytes.size(), end + 1 + (bytes.size() % 97));
        if (parser.is_header_done()) {
            parser.get().body().data = chunk.data();
            parser.get().body().size = chunk.size();
        }
        const std::size_t used = parser.put(boost::asio::buffer(bytes.data() + offset, end - offset), ec);
        offset += used;
        if (parser.is_header_done() && parser.get().body().data != nullptr) {
            body.append(chunk.data(), chunk.size() - parser.get().body().size);
        }
        if (ec == http::error::need_buffer) {
            ec = {};
            continue;
        }
        if (ec == http::error::need_more) {
            ec = {};
            if (end == bytes.size() && used == 0) break;  // the input ends mid-message
            continue;
        }
        if (ec) return;
    }
    if (parser.is_header_done()) decode_body(body);
}

void map_json(std::string_view text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded()) return;
    const auto guarded = [&](auto&& fn) {
        try {
            fn(json);
        } catch (const nlohmann::json::exception&) {
        }
    };
    guarded([](const nlohmann::json& j) { (void)envmgr::docker::container_from_inspect(j); });
    guarded([](const nlohmann::json& j) { (void)envmgr::docker::container_from_list_entry(j); });
    guarded([](const nlohmann::json& j) { (void)envmgr::docker::usage_from_stats(j); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 4) {
        case 0: parse_http(input); break;
        case 1: decode_body(input); break;
        case 2: {
            // The same stream split at every byte boundary must decode as it does whole.
            LogFrameDecoder whole;
            LogFrameDecoder split;
            std::size_t frames_whole = 0;
            std::size_t frames_split = 0;
            const bool ok_whole = whole.feed(input, [&](auto, auto) { ++frames_whole; });
            bool ok_split = true;
            for (std::size_t i = 0; i < input.size() && ok_split; ++i) {
                ok_split = split.feed(input.substr(i, 1), [&](auto, auto) { ++frames_split; });
            }
            if (ok_whole != ok_split || frames_whole != frames_split) __builtin_trap();
            break;
        }
        default: map_json(input); break;
    }
    return 0;
}
