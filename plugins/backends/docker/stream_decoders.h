// Decoders for the engine's streaming bodies. Pure byte-in, items-out code with no I/O, so
// they are unit tested and fuzzed directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace envmgr::plugins::backends::docker {

// Splits newline-delimited JSON (pull progress, events) into lines, whatever the chunking.
class JsonLineSplitter {
public:
    static constexpr std::size_t kMaxLine = 4U << 20U;

    // Calls on_line for each complete non-empty line (without "\r\n"). Returns false when a
    // line grows beyond kMaxLine (the stream is then malformed).
    bool feed(std::string_view bytes, const std::function<void(std::string_view)>& on_line);
    // Whatever remains after the stream ended (a final line without a newline).
    [[nodiscard]] std::string_view rest() const noexcept { return pending_; }

private:
    std::string pending_;
};

// Decodes the engine's multiplexed stdout/stderr stream: frames of an 8-byte header (stream
// type, three zero bytes, big-endian payload size) followed by the payload.
class LogFrameDecoder {
public:
    enum class Stream : std::uint8_t { stdin_stream = 0, stdout_stream = 1, stderr_stream = 2 };
    static constexpr std::size_t kMaxFrame = 16U << 20U;

    // Calls on_frame per complete frame. Returns false on a malformed header (unknown stream
    // type, non-zero padding, oversize frame); error() then says why.
    bool feed(std::string_view bytes, const std::function<void(Stream, std::string_view)>& on_frame);
    [[nodiscard]] const std::string& error() const noexcept { return error_; }
    // True when the stream ended in the middle of a frame.
    [[nodiscard]] bool truncated() const noexcept { return !pending_.empty(); }

private:
    std::string pending_;
    std::string error_;
};

std::string_view stream_name(LogFrameDecoder::Stream stream);

}  // namespace envmgr::plugins::backends::docker
