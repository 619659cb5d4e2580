#include "tools/envctl/log_cursor.h"

#include "tools/envctl/exit_codes.h"
#include "tools/envctl/session.h"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace envctl {

bool LogCursor::admit(const std::string& container, std::int64_t timestamp, const std::string& message) {
    if (reopened_same_ && container == container_) {
        if (timestamp < last_second_) return false;
        if (timestamp == last_second_) {
            const auto seen = std::find(to_skip_.begin(), to_skip_.end(), message);
            if (seen != to_skip_.end()) {
                to_skip_.erase(seen);
                return false;
            }
        }
    }
    if (container != container_ || timestamp != last_second_) seen_in_last_second_.clear();
    container_ = container;
    last_second_ = timestamp;
    seen_in_last_second_.push_back(message);
    return true;
}

void LogCursor::next_run(const std::string& container) {
    reopened_same_ = container == container_;
    to_skip_ = reopened_same_ ? seen_in_last_second_ : std::vector<std::string>{};
    if (!reopened_same_) {
        container_ = container;
        last_second_ = 0;
        seen_in_last_second_.clear();
    }
}

std::int64_t LogCursor::resume_since() const {
    return reopened_same_ ? last_second_ : 0;
}

std::int64_t parse_since(const std::string& text) {
    if (text.empty()) return 0;
    const auto bad = [&text] {
        return CommandError(kExitUsage,
                            "--since: '" + text +
                                "' is not unix seconds, a duration (90s, 10m, 2h, 1d) or a UTC time "
                                "like 2026-12-05T10:00:00Z");
    };
    const bool digits =
        std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
    if (digits) return text.size() > 12 ? throw bad() : std::stoll(text);
    const char unit = text.back();
    const std::string number = text.substr(0, text.size() - 1);
    const bool count =
        !number.empty() && number.size() <= 9 &&
        std::all_of(number.begin(), number.end(), [](unsigned char c) { return std::isdigit(c); });
    if (count) {
        const std::int64_t scale = unit == 's'   ? 1
                                   : unit == 'm' ? 60
                                   : unit == 'h' ? 3600
                                   : unit == 'd' ? 86400
                                                 : 0;
        if (scale == 0) throw bad();
        return static_cast<std::int64_t>(std::time(nullptr)) - std::stoll(number) * scale;
    }
    std::tm parsed{};
    const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &parsed);
    if (end == nullptr || (*end != '\0' && std::string(end) != "Z")) throw bad();
    return static_cast<std::int64_t>(timegm(&parsed));
}

}  // namespace envctl
