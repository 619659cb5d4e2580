#include "host/logging/json_sink.h"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <ctime>

namespace envmgr::host::logging {
namespace {

std::string utc_timestamp(spdlog::log_clock::time_point when) {
    const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(when);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(when - seconds).count();
    const std::time_t t = spdlog::log_clock::to_time_t(seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    std::array<char, 40> text{};
    const auto n = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &utc);
    return std::string(text.data(), n) + "." + (millis < 100 ? (millis < 10 ? "00" : "0") : "") +
           std::to_string(millis) + "Z";
}

}  // namespace

void JsonSink::sink_it_(const spdlog::details::log_msg& msg) {
    const auto level = spdlog::level::to_string_view(msg.level);
    nlohmann::json record{
        {"timestamp", utc_timestamp(msg.time)},
        {"level", std::string(level.data(), level.size())},
        {"target", std::string(msg.logger_name.data(), msg.logger_name.size())},
        {"message", std::string(msg.payload.data(), msg.payload.size())},
    };
    // Replace invalid UTF-8 from a plugin instead of throwing inside the logger.
    const std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fputc('\n', out_);
}

}  // namespace envmgr::host::logging
