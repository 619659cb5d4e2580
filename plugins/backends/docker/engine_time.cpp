#include "plugins/backends/docker/engine_time.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

namespace envmgr::plugins::backends::docker {

std::int64_t unix_seconds(std::string_view text) {
    if (text.size() < 19 || text.starts_with("0001-")) return 0;
    std::tm tm{};
    int fields = std::sscanf(std::string(text.substr(0, 19)).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year,
                             &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
    if (fields != 6) return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    std::int64_t seconds = timegm(&tm);
    // The engine writes UTC ("Z"); honour an explicit offset all the same.
    const auto zone = text.find_first_of("Z+-", 19);
    if (zone != std::string_view::npos && text[zone] != 'Z' && text.size() >= zone + 6) {
        const int sign = text[zone] == '+' ? 1 : -1;
        const int hours = std::atoi(std::string(text.substr(zone + 1, 2)).c_str());
        const int minutes = std::atoi(std::string(text.substr(zone + 4, 2)).c_str());
        seconds -= static_cast<std::int64_t>(sign) * (hours * 3600LL + minutes * 60LL);
    }
    return seconds;
}

std::int64_t unix_nanos(std::string_view text) {
    const std::int64_t seconds = unix_seconds(text);
    if (seconds == 0) return 0;
    std::int64_t fraction = 0;
    if (text.size() > 20 && text[19] == '.') {
        int digits = 0;
        for (std::size_t i = 20; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            if (digits++ < 9) fraction = fraction * 10 + (text[i] - '0');
        }
        for (; digits < 9; ++digits) fraction *= 10;
    }
    return seconds * 1'000'000'000 + fraction;
}

}  // namespace envmgr::plugins::backends::docker
