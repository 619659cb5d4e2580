// What `envctl up` shows while services start. On a terminal: one live line per service (a
// mark, state, elapsed, the daemon's message: image bytes while pulling, what it waits for),
// redrawn in place. Otherwise: one plain line per state change. With --json: one JSON object
// per update (NDJSON). Thread-safe: the stream's reader updates, a ticker redraws.
#pragma once

#include "tools/envctl/terminal.h"

#include <env_manager/v1/env_manager.pb.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

namespace envctl {

enum class OutputMode { live, plain, json };

class UpView {
public:
    using Clock = std::chrono::steady_clock;

    UpView(OutputMode mode, const Terminal& terminal, std::FILE* out);

    void update(const ::env_manager::v1::ServiceStatusUpdate& update);
    // Live mode: redraws (the elapsed times and the spinner move on). Otherwise nothing.
    void tick();
    // The services not ready yet, "name (state)" each, for a timeout's message.
    [[nodiscard]] std::string pending() const;
    [[nodiscard]] std::size_t services() const;
    [[nodiscard]] double elapsed_seconds() const;

private:
    struct Line {
        std::string service;
        std::string state;
        std::string message;
        Clock::time_point first;
        Clock::time_point settled;  // epoch: not settled
    };
    [[nodiscard]] std::string render(const Line& line, Clock::time_point now) const;
    void redraw(Clock::time_point now);
    void print_plain(const Line& line, Clock::time_point now);
    void print_json(const ::env_manager::v1::ServiceStatusUpdate& update, Clock::time_point now);

    OutputMode mode_;
    const Terminal& terminal_;
    std::FILE* out_;
    Clock::time_point begun_ = Clock::now();
    mutable std::mutex mutex_;
    std::vector<Line> lines_;  // in the order the services first appeared
    std::size_t drawn_ = 0;    // lines drawn last time (live)
    std::size_t name_width_ = 8;
};

// The state as envctl shows it: "completed" for a one-shot job that exited 0 (the daemon says
// "stopped" with a message beginning "completed"), else the daemon's state.
std::string shown_state(const std::string& state, const std::string& message);
// Whether a state is where a start leaves a service it brought up.
bool settled_state(const std::string& state, const std::string& message);

}  // namespace envctl
