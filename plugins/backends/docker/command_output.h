// The output of a command the engine runs for us (container.exec, container.run): stdout and
// stderr collected apart from the multiplexed stream, each bounded, truncation flagged.
#pragma once

#include "plugins/backends/docker/stream_decoders.h"

#include <envmgr/sdk/status.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace envmgr::plugins::backends::docker {

class CommandOutput {
public:
    static constexpr std::size_t kMaxPerStream = 1U << 20U;  // the rest is cut and flagged

    // Throws sdk::Error(INTERNAL) on a malformed stream.
    void feed(std::string_view bytes) {
        const bool ok = frames_.feed(bytes, [this](LogFrameDecoder::Stream stream, std::string_view payload) {
            append(stream == LogFrameDecoder::Stream::stderr_stream ? err_ : out_, payload);
        });
        if (!ok) throw sdk::Error(ENVMGR_STATUS_INTERNAL, "malformed output stream: " + frames_.error());
    }

    // Adds a line of our own (the runtime's refusal of a command) to stderr.
    void note_stderr(std::string_view text) { append(err_, text); }

    [[nodiscard]] nlohmann::json result(int exit_code) const {
        return {{"exit_code", exit_code}, {"stdout", out_}, {"stderr", err_}, {"truncated", truncated_}};
    }

private:
    void append(std::string& sink, std::string_view payload) {
        const std::size_t room = kMaxPerStream - std::min(kMaxPerStream, sink.size());
        if (payload.size() > room) truncated_ = true;
        sink.append(payload.substr(0, room));
    }

    LogFrameDecoder frames_;
    std::string out_;
    std::string err_;
    bool truncated_ = false;
};

}  // namespace envmgr::plugins::backends::docker
