// Fuzzes what backend.docker parses from the engine: HTTP responses (chunked or sized bodies),
// newline-delimited JSON (pull progress, events), multiplexed log frames, and the JSON
// documents mapped from inspect, list and stats (the selected parse against the full one). The first input
// byte picks the target.
#include "plugins/backends/docker/container_mapping.h"
#include "plugins/backends/docker/pull_progress.h"
#include "plugins/backends/docker/response_reader.h"
#include "plugins/backends/docker/stats_mapping.h"
#include "plugins/backends/docker/stream_decoders.h"

#include <boost/beast/http/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using envmgr::plugins::backends::docker::JsonLineSplitter;
using envmgr::plugins::backends::docker::LogFrameDecoder;

// The mappings may throw nlohmann::json::exception on documents of the wrong shape: that is
// their contract (the backend turns it into an error status). Anything else is a bug.
void decode_body(std::string_view body) {
    JsonLineSplitter splitter;
    envmgr::plugins::backends::docker::PullProgress progress("fuzz");
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

// As HttpClient reads: bytes arrive in pieces of varying size, as from a socket, and what the
// reader does not use stays in front of the next piece, as in the connection's buffer.
class CollectingSink final : public envmgr::plugins::backends::docker::ResponseSink {
public:
    bool on_header() override { return true; }
    bool on_body(std::string_view bytes) override {
        body.append(bytes);
        return true;
    }
    std::string body;
};

void parse_http(std::string_view bytes) {
    namespace http = boost::beast::http;
    std::array<char, 512> scratch{};
    envmgr::plugins::backends::docker::ResponseReader reader(1U << 20U, scratch);
    CollectingSink sink;
    std::string buffered;
    std::size_t offset = 0;
    const std::size_t piece = 1 + bytes.size() % 97;
    while (!reader.done()) {
        if (offset == bytes.size()) {
            boost::beast::error_code ec;
            reader.feed_eof(ec);
            break;
        }
        const std::size_t take = std::min(piece, bytes.size() - offset);
        buffered.append(bytes.substr(offset, take));
        offset += take;
        boost::beast::error_code ec;
        const std::size_t used = reader.feed(buffered, sink, ec);
        buffered.erase(0, used);
        if (ec && ec != http::error::need_more) return;
    }
    if (reader.header_done()) decode_body(sink.body);
}

// What a mapping makes of a document, or that it threw (nlohmann::json::exception is their
// contract for documents of the wrong shape; anything else is a bug and escapes).
template <typename Mapping>
std::string outcome(const Mapping& mapping, const nlohmann::json& document) {
    try {
        return nlohmann::json(mapping(document)).dump();
    } catch (const nlohmann::json::exception&) {
        return "threw";
    }
}

// Each mapping must make of the selected parse what it makes of the full parse (the backend
// maps the selected one), and malformed text must be refused by both.
template <typename Mapping>
void compare_selected(std::string_view text, const nlohmann::json& full, const Mapping& mapping,
                      const envmgr::plugins::backends::docker::JsonSelection& selection,
                      bool each_element = false) {
    nlohmann::json selected;
    try {
        selected = envmgr::plugins::backends::docker::parse_selected(text, selection);
    } catch (const nlohmann::json::exception&) {  // parse_error, or out_of_range for a huge number
        if (!full.is_discarded()) __builtin_trap();
        return;
    }
    if (full.is_discarded()) __builtin_trap();
    if (!each_element) {
        if (outcome(mapping, full) != outcome(mapping, selected)) __builtin_trap();
        return;
    }
    if (!full.is_array()) return;
    if (selected.size() != full.size()) __builtin_trap();
    for (std::size_t i = 0; i < full.size(); ++i) {
        if (outcome(mapping, full[i]) != outcome(mapping, selected[i])) __builtin_trap();
    }
}

void map_json(std::string_view text) {
    using namespace envmgr::plugins::backends::docker;
    const auto full = nlohmann::json::parse(text, nullptr, false);
    compare_selected(
        text, full, [](const nlohmann::json& j) { return container_from_inspect(j); }, inspect_selection());
    compare_selected(
        text, full, [](const nlohmann::json& j) { return container_from_list_entry(j); },
        list_entry_selection(), true);
    compare_selected(
        text, full, [](const nlohmann::json& j) { return usage_from_stats(j); }, stats_selection());
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
