// What envctl's output goes to: a terminal (live lines redrawn in place, colour unless NO_COLOR
// is set, widths fitted to its columns) or anything else (plain lines, no escapes).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace envctl {

enum class Colour { none, red, green, yellow, blue, magenta, cyan, grey };

class Terminal {
public:
    static constexpr int kUnlimited = 1 << 20;

    // Reads the stream's kind, NO_COLOR and the width: the terminal's, else COLUMNS, else
    // unlimited off a terminal (a pipe or file gets whole lines).
    explicit Terminal(std::FILE* stream);

    [[nodiscard]] bool interactive() const { return interactive_; }
    [[nodiscard]] bool colour() const { return colour_; }
    [[nodiscard]] int width() const { return width_; }
    // text in the colour, when colour is on.
    [[nodiscard]] std::string paint(std::string_view text, Colour colour) const;

private:
    bool interactive_ = false;
    bool colour_ = false;
    int width_ = 100;
};

// A service's colour, the same one for the same name in every command.
Colour colour_of(std::string_view service);
// The colour a state is shown in: green ready, red failed, yellow on its way.
Colour state_colour(std::string_view state);

// Shortened to at most width columns (UTF-8 aware: never cut inside a character), "…" at the end.
std::string fit(std::string_view text, std::size_t width);
// Columns text takes (UTF-8 characters; escapes are not counted).
std::size_t display_width(std::string_view text);

// 1.5 KiB, 12.0 MiB; 0 B.
std::string human_bytes(double bytes);
// 2026-12-05T10:00:00Z
std::string utc_time(std::int64_t unix_seconds);
// 850ms, 3.2s, 4m05s, 2h10m, 3d04h.
std::string human_duration(double seconds);

}  // namespace envctl
