#include "plugins/backends/docker/log_lines.h"

#include "plugins/backends/docker/engine_time.h"

namespace envmgr::plugins::backends::docker {

std::pair<std::int64_t, std::string_view> split_log_timestamp(std::string_view line) {
    const auto space = line.find(' ');
    if (space == std::string_view::npos || space < 19 || line[4] != '-') return {0, line};
    return {unix_seconds(line.substr(0, space)), line.substr(space + 1)};
}

void LogLineAssembler::feed(std::string_view stream, std::string_view bytes, bool flush, const Emit& emit) {
    auto it = partial_.find(stream);
    if (it == partial_.end()) it = partial_.emplace(std::string(stream), std::string()).first;
    std::string& pending = it->second;
    const auto emit_line = [&](std::string_view line) {
        const auto [seconds, message] = split_log_timestamp(line);
        emit(LogLine{stream, message, seconds});
    };
    pending.append(bytes);
    std::size_t start = 0;
    for (auto newline = pending.find('\n'); newline != std::string::npos;
         newline = pending.find('\n', start)) {
        emit_line(std::string_view(pending).substr(start, newline - start));
        start = newline + 1;
    }
    pending.erase(0, start);
    if ((flush || pending.size() > kMaxLine) && !pending.empty()) {
        emit_line(pending);
        pending.clear();
    }
}

}  // namespace envmgr::plugins::backends::docker
