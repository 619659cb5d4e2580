// envctl logs: several services at once, each line prefixed with its service, stdout and stderr
// kept apart. With -f a service is followed across its restarts and recreations: the daemon ends
// a followed stream when the container stops, so envctl waits for the service's next run (a new
// container, or the same one started again) and follows that, without repeating a line.
#include "tools/envctl/commands.h"
#include "tools/envctl/exit_codes.h"
#include "tools/envctl/log_cursor.h"
#include "tools/envctl/terminal.h"

#include <fmt/format.h>

#include <iostream>
#include <mutex>
#include <thread>

namespace envctl {
namespace {

struct LogsOptions {
    std::vector<std::string> services;
    bool follow = false;
    int tail = 0;
    std::string since;
    bool timestamps = false;
    bool no_prefix = false;
};

// Writes whole lines from several threads; stdout and stderr apart.
class LogPrinter {
public:
    LogPrinter(const LogsOptions& options, std::size_t name_width)
        : options_(options), name_width_(name_width) {}

    void print(const pb::LogEntry& entry) {
        std::string message = entry.message();
        while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
        std::string line;
        if (!options_.no_prefix) {
            const auto& terminal = entry.stream() == "stderr" ? err_ : out_;
            line = terminal.paint(fmt::format("{:<{}} |", entry.service_name(), name_width_),
                                  colour_of(entry.service_name())) +
                   " ";
        }
        if (options_.timestamps) line += utc_time(entry.timestamp()) + " ";
        line += message + "\n";
        const std::lock_guard lock(mutex_);
        auto* stream = entry.stream() == "stderr" ? stderr : stdout;
        std::fputs(line.c_str(), stream);
        std::fflush(stream);
    }

private:
    const LogsOptions& options_;
    std::size_t name_width_;
    Terminal out_{stdout};
    Terminal err_{stderr};
    std::mutex mutex_;
};

// Where the service runs now: its container and when it started ("" : not running).
std::pair<std::string, std::int64_t> current_run(Session& session, const std::string& service) {
    pb::GetServicesStatusRequest request;
    request.add_service_names(service);
    pb::ServicesStatusResponse response;
    auto context = session.context(std::chrono::seconds(10));
    const auto status = session.manager().GetServicesStatus(context.get(), request, &response);
    if (!status.ok()) throw session.error(status, "logs of " + service);
    const auto found = response.services().find(service);
    if (found == response.services().end()) return {};
    const auto& state = found->second.status();
    const bool runs =
        state == "starting" || state == "waiting-healthy" || state == "healthy" || state == "unhealthy";
    if (!runs) return {};
    return {found->second.container_id(), found->second.started_at()};
}

// Follows one service's log (across its runs with -f) until it ends.
void follow_service(Session& session, const std::string& service, const LogsOptions& options,
                    LogPrinter& printer) {
    LogCursor cursor;
    std::pair<std::string, std::int64_t> followed = current_run(session, service);
    for (bool first = true;; first = false) {
        pb::StreamLogsRequest request;
        request.set_service_name(service);
        request.set_follow(options.follow);
        if (first) {
            request.set_tail(options.tail);
            request.set_since_timestamp(parse_since(options.since));
        } else {
            request.set_since_timestamp(cursor.resume_since());
        }
        auto context = session.context();
        auto reader = session.manager().StreamLogs(context.get(), request);
        pb::LogEntry entry;
        while (reader->Read(&entry)) {
            if (cursor.admit(entry.container_id(), entry.timestamp(), entry.message())) printer.print(entry);
        }
        const auto status = reader->Finish();
        if (!status.ok() && status.error_code() != grpc::StatusCode::FAILED_PRECONDITION) {
            throw session.error(status, "logs of " + service);
        }
        if (!options.follow) return;
        // The container stopped: wait for the service's next run, then follow it.
        for (;;) {
            const auto next = current_run(session, service);
            if (!next.first.empty() && next != followed) {
                followed = next;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        cursor.next_run(followed.first);
    }
}

int logs(Session& session, const LogsOptions& options) {
    std::size_t width = 0;
    for (const auto& service : options.services) width = std::max(width, service.size());
    LogPrinter printer(options, width);
    std::mutex failure_mutex;
    std::optional<CommandError> failure;
    std::vector<std::thread> readers;
    for (const auto& service : options.services) {
        readers.emplace_back([&, service] {
            try {
                follow_service(session, service, options, printer);
            } catch (const CommandError& error) {
                const std::lock_guard lock(failure_mutex);
                std::cerr << "envctl: " << error.what() << std::endl;
                if (!failure) failure = error;
            }
        });
    }
    for (auto& reader : readers) reader.join();
    return failure ? failure->exit_code() : kExitOk;
}

}  // namespace

void add_logs_command(CLI::App& app, Runner& run) {
    auto options = std::make_shared<LogsOptions>();
    auto* command = app.add_subcommand("logs", "The services' log lines, each prefixed with its service");
    command->add_option("services", options->services, "services whose logs to show")->required();
    command->add_flag("-f,--follow", options->follow, "keep following, across restarts and recreations");
    command->add_option("-n,--tail", options->tail, "only the last N lines of each (0: all)")
        ->check(CLI::NonNegativeNumber);
    command->add_option(
        "--since", options->since,
        "only lines since: unix seconds, a duration ago (90s, 10m, 2h, 1d) or 2026-12-05T10:00:00Z");
    command->add_flag("-t,--timestamps", options->timestamps, "each line with the engine's time (UTC)");
    command->add_flag("--no-log-prefix", options->no_prefix, "lines without the service prefix");
    command->callback([options, &run] {
        parse_since(options->since);  // a bad --since is a usage error before anything is asked
        run = [options](Session& session) { return logs(session, *options); };
    });
}

}  // namespace envctl
