#include "host/logging/logging.h"

#include "host/logging/journal_stream.h"
#include "host/logging/json_sink.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ansicolor_sink.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

namespace envmgr::host::logging {

std::shared_ptr<spdlog::logger> setup_logging(const std::string& level, config::LogFormat format) {
    spdlog::sink_ptr sink;
    if (format == config::LogFormat::json) {
        sink = std::make_shared<JsonSink>();
    } else if (stderr_is_journal()) {
        // The journal stamps the time itself and keeps the level as PRIORITY (journalctl -p).
        auto journal = std::make_shared<spdlog::sinks::systemd_sink_mt>("env-manager", true);
        journal->set_formatter(std::make_unique<spdlog::pattern_formatter>("%n: %v"));
        sink = journal;
    } else {
        // Colour only on a terminal; a plain file or pipe gets timestamps from us.
        auto text = std::make_shared<spdlog::sinks::ansicolor_stderr_sink_mt>(
            isatty(STDERR_FILENO) != 0 ? spdlog::color_mode::automatic : spdlog::color_mode::never);
        text->set_formatter(std::make_unique<spdlog::pattern_formatter>(
            "%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %n: %v", spdlog::pattern_time_type::utc));
        sink = text;
    }
    auto logger = std::make_shared<spdlog::logger>("env-manager", sink);
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
    return logger;
}

}  // namespace envmgr::host::logging
