// Where a followed log is, so that reopening it after the container stopped repeats nothing:
// the engine's timestamps are whole seconds here (LogEntry.timestamp), so a reopen asks from
// the last second seen and skips the lines of that second it already showed. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace envctl {

class LogCursor {
public:
    // Whether to show a line (false: shown before, from the same container).
    bool admit(const std::string& container, std::int64_t timestamp, const std::string& message);
    // The run to follow next: a new container's lines are all new; the same one's resume.
    void next_run(const std::string& container);
    // since_timestamp for the reopen (0: from its start).
    [[nodiscard]] std::int64_t resume_since() const;

private:
    std::string container_;
    std::int64_t last_second_ = 0;
    std::vector<std::string> seen_in_last_second_;  // the lines shown with last_second_
    std::vector<std::string> to_skip_;              // after a reopen: those, to pass over once
    bool reopened_same_ = false;
};

// --since: "" (0), unix seconds, a duration ago ("90s", "10m", "2h", "1d") or an ISO-8601 UTC
// time ("2026-12-05T10:00:00Z"). Throws CommandError (usage) naming the value.
std::int64_t parse_since(const std::string& text);

}  // namespace envctl
