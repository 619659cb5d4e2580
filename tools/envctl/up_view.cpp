#include "tools/envctl/up_view.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace envctl {
namespace {

double seconds_between(UpView::Clock::time_point from, UpView::Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

const char* mark_of(const std::string& state, UpView::Clock::time_point now) {
    if (state == "healthy") return "✔";
    if (state == "failed" || state == "unhealthy") return "✘";
    if (state == "stopped") return "■";
    static constexpr std::array<const char*, 10> kSpinner{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    const auto tenths =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() / 100;
    return kSpinner.at(static_cast<std::size_t>(tenths) % kSpinner.size());
}

}  // namespace

std::string shown_state(const std::string& state, const std::string& message) {
    return state == "stopped" && message.rfind("completed", 0) == 0 ? "completed" : state;
}

bool settled_state(const std::string& state, const std::string& message) {
    const std::string shown = shown_state(state, message);
    return shown == "healthy" || shown == "failed" || shown == "completed";
}

UpView::UpView(OutputMode mode, const Terminal& terminal, std::FILE* out)
    : mode_(mode), terminal_(terminal), out_(out) {}

void UpView::update(const ::env_manager::v1::ServiceStatusUpdate& update) {
    const std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    auto line = std::find_if(lines_.begin(), lines_.end(),
                             [&update](const Line& each) { return each.service == update.service_name(); });
    if (line == lines_.end()) {
        lines_.push_back({update.service_name(), "", "", now, {}});
        line = std::prev(lines_.end());
        name_width_ = std::max(name_width_, update.service_name().size());
    }
    const bool changed = line->state != update.status();
    line->state = update.status();
    line->message = update.message();
    line->settled = settled_state(line->state, line->message) ? now : Clock::time_point{};
    switch (mode_) {
        case OutputMode::json: return print_json(update, now);
        case OutputMode::plain:
            if (changed) print_plain(*line, now);
            return;
        case OutputMode::live: return redraw(now);
    }
}

void UpView::tick() {
    if (mode_ != OutputMode::live) return;
    const std::lock_guard lock(mutex_);
    redraw(Clock::now());
}

std::string UpView::pending() const {
    const std::lock_guard lock(mutex_);
    std::string text;
    for (const auto& line : lines_) {
        if (line.settled != Clock::time_point{}) continue;
        text += fmt::format("{}{} ({})", text.empty() ? "" : ", ", line.service, line.state);
    }
    return text.empty() ? "nothing reported yet" : text;
}

std::size_t UpView::services() const {
    const std::lock_guard lock(mutex_);
    return lines_.size();
}

double UpView::elapsed_seconds() const {
    return seconds_between(begun_, Clock::now());
}

std::string UpView::render(const Line& line, Clock::time_point now) const {
    const auto end = line.settled != Clock::time_point{} ? line.settled : now;
    const std::string head =
        fmt::format("{} {:<{}}  {:<15} {:>7}", mark_of(line.state, now), line.service, name_width_,
                    shown_state(line.state, line.message), human_duration(seconds_between(line.first, end)));
    const auto room = static_cast<std::size_t>(std::max(terminal_.width() - 1, 20));
    std::string text = fit(line.message.empty() ? head : head + "  " + line.message, room);
    // Colour the state only: the fitted text's width is measured without escapes.
    const auto at = text.find(line.state, 2 + line.service.size());
    if (at != std::string::npos) {
        text.replace(at, line.state.size(), terminal_.paint(line.state, state_colour(line.state)));
    }
    return text;
}

void UpView::redraw(Clock::time_point now) {
    std::string frame;
    if (drawn_ > 0) frame += fmt::format("\033[{}A", drawn_);  // back to the first line
    for (const auto& line : lines_) frame += "\r\033[2K" + render(line, now) + "\n";
    drawn_ = lines_.size();
    std::fputs(frame.c_str(), out_);
    std::fflush(out_);
}

void UpView::print_plain(const Line& line, Clock::time_point now) {
    std::fputs(
        fmt::format("{:>8.2f}s {} {}{}\n", seconds_between(begun_, now), line.service,
                    shown_state(line.state, line.message), line.message.empty() ? "" : "  " + line.message)
            .c_str(),
        out_);
    std::fflush(out_);
}

void UpView::print_json(const ::env_manager::v1::ServiceStatusUpdate& update, Clock::time_point now) {
    const nlohmann::json event{{"elapsed_ms", std::llround(seconds_between(begun_, now) * 1000)},
                               {"service", update.service_name()},
                               {"state", update.status()},
                               {"message", update.message()},
                               {"progress", update.progress()}};
    std::fputs((event.dump() + "\n").c_str(), out_);
    std::fflush(out_);
}

}  // namespace envctl
