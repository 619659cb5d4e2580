#include "plugins/backends/docker/stream_decoders.h"

namespace envmgr::plugins::backends::docker {

bool JsonLineSplitter::feed(std::string_view bytes, const std::function<void(std::string_view)>& on_line) {
    while (!bytes.empty()) {
        const auto newline = bytes.find('\n');
        if (newline == std::string_view::npos) {
            pending_.append(bytes);
            return pending_.size() <= kMaxLine;
        }
        std::string_view line = bytes.substr(0, newline);
        bytes.remove_prefix(newline + 1);
        if (!pending_.empty()) {
            pending_.append(line);
            line = pending_;
        }
        if (line.size() > kMaxLine) return false;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty()) on_line(line);
        pending_.clear();
    }
    return true;
}

bool LogFrameDecoder::feed(std::string_view bytes,
                           const std::function<void(Stream, std::string_view)>& on_frame) {
    if (!error_.empty()) return false;
    constexpr std::size_t kHeader = 8;
    // Fast path: whole frames straight from the input; only partial frames are copied.
    while (!bytes.empty()) {
        std::string_view data = bytes;
        if (!pending_.empty()) {
            const std::size_t need_header = pending_.size() < kHeader ? kHeader - pending_.size() : 0;
            if (need_header > 0) {
                const std::size_t take = std::min(need_header, bytes.size());
                pending_.append(bytes.substr(0, take));
                bytes.remove_prefix(take);
                if (pending_.size() < kHeader) return true;
            }
            data = pending_;
        }
        if (data.size() < kHeader) {
            pending_.assign(data);
            return true;
        }
        const auto type = static_cast<std::uint8_t>(data[0]);
        if (type > 2 || data[1] != 0 || data[2] != 0 || data[3] != 0) {
            error_ = "malformed log frame header (stream type " + std::to_string(type) + ")";
            return false;
        }
        const std::size_t size = (std::size_t{static_cast<std::uint8_t>(data[4])} << 24U) |
                                 (std::size_t{static_cast<std::uint8_t>(data[5])} << 16U) |
                                 (std::size_t{static_cast<std::uint8_t>(data[6])} << 8U) |
                                 std::size_t{static_cast<std::uint8_t>(data[7])};
        if (size > kMaxFrame) {
            error_ = "log frame of " + std::to_string(size) + " bytes exceeds the limit";
            return false;
        }
        if (pending_.empty()) {
            if (bytes.size() < kHeader + size) {
                pending_.assign(bytes);
                return true;
            }
            on_frame(static_cast<Stream>(type), bytes.substr(kHeader, size));
            bytes.remove_prefix(kHeader + size);
            continue;
        }
        const std::size_t have = pending_.size() - kHeader;
        const std::size_t take = std::min(size - have, bytes.size());
        pending_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (pending_.size() < kHeader + size) return true;
        const std::string frame = std::move(pending_);
        pending_.clear();
        on_frame(static_cast<Stream>(type), std::string_view(frame).substr(kHeader));
    }
    return true;
}

std::string_view stream_name(LogFrameDecoder::Stream stream) {
    switch (stream) {
        case LogFrameDecoder::Stream::stdin_stream: return "stdin";
        case LogFrameDecoder::Stream::stdout_stream: return "stdout";
        case LogFrameDecoder::Stream::stderr_stream: return "stderr";
    }
    return "stdout";
}

}  // namespace envmgr::plugins::backends::docker
