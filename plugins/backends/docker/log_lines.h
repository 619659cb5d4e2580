// Container output as log lines: bytes of each stream are cut at newlines, the engine's
// timestamp is split off, and a line without end is delivered in pieces rather than held
// without bound (a progress bar redrawn with \r, binary output).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace envmgr::plugins::backends::docker {

struct LogLine {
    std::string_view stream;  // "stdout" or "stderr"
    std::string_view message;
    std::int64_t timestamp = 0;  // unix seconds, 0 when the line had none
};

// "2026-11-26T20:46:56.302123456Z message" -> (unix seconds, message); (0, line) otherwise.
std::pair<std::int64_t, std::string_view> split_log_timestamp(std::string_view line);

class LogLineAssembler {
public:
    static constexpr std::size_t kMaxLine = 64U << 10U;

    using Emit = std::function<void(const LogLine&)>;

    // Adds bytes of one stream; emits every complete line. With flush, what is left of that
    // stream is emitted too (the end of the log).
    void feed(std::string_view stream, std::string_view bytes, bool flush, const Emit& emit);

private:
    std::map<std::string, std::string, std::less<>> partial_;  // per stream: text after the last newline
};

}  // namespace envmgr::plugins::backends::docker
