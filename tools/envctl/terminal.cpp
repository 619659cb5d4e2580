#include "tools/envctl/terminal.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <ctime>
#include <functional>

namespace envctl {

Terminal::Terminal(std::FILE* stream) {
    const int fd = fileno(stream);
    interactive_ = isatty(fd) == 1;
    const char* no_colour = std::getenv("NO_COLOR");  // no-color.org: set and not empty
    colour_ = interactive_ && (no_colour == nullptr || *no_colour == '\0');
    winsize size{};
    if (interactive_ && ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        width_ = size.ws_col;
    } else if (const char* columns = std::getenv("COLUMNS"); columns != nullptr && std::atoi(columns) > 20) {
        width_ = std::atoi(columns);
    } else if (!interactive_) {
        width_ = kUnlimited;  // a pipe or a file: nothing is cut
    }
}

std::string Terminal::paint(std::string_view text, Colour colour) const {
    if (!colour_ || colour == Colour::none) return std::string(text);
    static constexpr std::array<const char*, 8> kCodes{"", "31", "32", "33", "34", "35", "36", "90"};
    return fmt::format("\033[{}m{}\033[0m", kCodes.at(static_cast<std::size_t>(colour)), text);
}

Colour colour_of(std::string_view service) {
    static constexpr std::array<Colour, 5> kCycle{Colour::cyan, Colour::magenta, Colour::blue, Colour::green,
                                                  Colour::yellow};
    return kCycle.at(std::hash<std::string_view>{}(service) % kCycle.size());
}

Colour state_colour(std::string_view state) {
    if (state == "healthy" || state == "ready" || state == "completed" || state == "complete") {
        return Colour::green;
    }
    if (state == "failed" || state == "unhealthy" || state == "error") return Colour::red;
    if (state == "stopped") return Colour::grey;
    return Colour::yellow;
}

std::size_t display_width(std::string_view text) {
    std::size_t columns = 0;
    for (const char c : text) columns += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
    return columns;
}

std::string fit(std::string_view text, std::size_t width) {
    if (display_width(text) <= width) return std::string(text);
    if (width == 0) return {};
    std::string out;
    std::size_t columns = 0;
    for (const char c : text) {
        const bool starts = (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
        if (starts && ++columns > width - 1) break;
        out += c;
    }
    return out + "…";
}

std::string human_bytes(double bytes) {
    static constexpr std::array<const char*, 5> kUnits{"B", "KiB", "MiB", "GiB", "TiB"};
    std::size_t unit = 0;
    while (bytes >= 1024 && unit + 1 < kUnits.size()) {
        bytes /= 1024;
        ++unit;
    }
    return unit == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.1f} {}", bytes, kUnits.at(unit));
}

std::string utc_time(std::int64_t unix_seconds) {
    const auto at = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&at, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string human_duration(double seconds) {
    if (seconds < 1) return fmt::format("{:.0f}ms", seconds * 1000);
    if (seconds < 60) return fmt::format("{:.1f}s", seconds);
    const auto whole = static_cast<long>(seconds);
    if (whole < 3600) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
    if (whole < 86400) return fmt::format("{}h{:02}m", whole / 3600, whole % 3600 / 60);
    return fmt::format("{}d{:02}h", whole / 86400, whole % 86400 / 3600);
}

}  // namespace envctl
