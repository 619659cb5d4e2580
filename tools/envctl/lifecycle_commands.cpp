// envctl up, down, restart: StartServices (streamed, shown live), StopServices, RestartService.
#include "tools/envctl/commands.h"
#include "tools/envctl/exit_codes.h"
#include "tools/envctl/terminal.h"
#include "tools/envctl/up_view.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <thread>

namespace envctl {
namespace {

struct UpOptions {
    std::vector<std::string> services;
    double timeout_seconds = 0;
    bool json = false;
    bool plain = false;
};

std::chrono::milliseconds milliseconds_of(double seconds) {
    return std::chrono::milliseconds(static_cast<long>(seconds * 1000));
}

// Redraws the live view every 100 ms until stopped.
class Ticker {
public:
    explicit Ticker(UpView& view)
        : thread_([this, &view] {
              std::unique_lock lock(mutex_);
              while (!stopped_) {
                  wake_.wait_for(lock, std::chrono::milliseconds(100));
                  if (!stopped_) view.tick();
              }
          }) {}
    Ticker(const Ticker&) = delete;
    Ticker& operator=(const Ticker&) = delete;
    ~Ticker() {
        {
            const std::lock_guard lock(mutex_);
            stopped_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopped_ = false;
    std::thread thread_;
};

int up(Session& session, const UpOptions& options) {
    const Terminal terminal(stdout);
    const OutputMode mode = options.json                               ? OutputMode::json
                            : terminal.interactive() && !options.plain ? OutputMode::live
                                                                       : OutputMode::plain;
    UpView view(mode, terminal, stdout);
    pb::StartServicesRequest request;
    for (const auto& service : options.services) request.add_service_names(service);
    request.set_parallel(true);
    auto context = session.context(milliseconds_of(options.timeout_seconds));
    auto reader = session.manager().StartServices(context.get(), request);
    pb::ServiceStatusUpdate update;
    pb::ServiceStatusUpdate failure;
    {
        const std::unique_ptr<Ticker> ticker =
            mode == OutputMode::live ? std::make_unique<Ticker>(view) : nullptr;
        while (reader->Read(&update)) {
            if (update.status() == "failed") failure = update;
            view.update(update);
        }
    }
    const auto status = reader->Finish();
    if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
        throw CommandError(kExitTimeout, fmt::format("not ready within {} s; still starting: {}",
                                                     options.timeout_seconds, view.pending()));
    }
    if (!status.ok() && !failure.service_name().empty()) {
        throw CommandError(
            kExitFailed, fmt::format("service '{}' failed: {}", failure.service_name(),
                                     failure.message().empty() ? status.error_message() : failure.message()));
    }
    if (!status.ok()) throw session.error(status, "start");
    if (mode == OutputMode::json) {
        std::cout << nlohmann::json{{"result", "ready"},
                                    {"services", view.services()},
                                    {"elapsed_ms", std::llround(view.elapsed_seconds() * 1000)}}
                         .dump()
                  << '\n';
    } else {
        std::cout << fmt::format("{} service(s) ready in {}\n", view.services(),
                                 human_duration(view.elapsed_seconds()));
    }
    return kExitOk;
}

int down(Session& session, const std::vector<std::string>& services, int timeout_seconds) {
    pb::StopServicesRequest request;
    for (const auto& service : services) request.add_service_names(service);
    request.set_timeout_seconds(timeout_seconds);
    pb::StopServicesResponse response;
    auto context = session.context();
    const auto status = session.manager().StopServices(context.get(), request, &response);
    if (!status.ok()) throw session.error(status, "stop");
    std::vector<std::pair<std::string, std::string>> results(response.service_results().begin(),
                                                             response.service_results().end());
    std::sort(results.begin(), results.end());
    for (const auto& [service, result] : results) std::cout << service << ": " << result << '\n';
    if (!response.success()) throw CommandError(kExitFailed, "not every service stopped (see above)");
    return kExitOk;
}

int restart(Session& session, const std::string& service, int timeout_seconds) {
    pb::RestartServiceRequest request;
    request.set_service_name(service);
    request.set_timeout_seconds(timeout_seconds);
    pb::RestartServiceResponse response;
    auto context = session.context();
    const auto status = session.manager().RestartService(context.get(), request, &response);
    if (!status.ok()) throw session.error(status, "restart");
    if (!response.success()) {
        throw CommandError(kExitFailed, fmt::format("service '{}': {}", service, response.message()));
    }
    std::cout << service << ": " << response.message() << '\n';
    return kExitOk;
}

}  // namespace

void add_lifecycle_commands(CLI::App& app, Runner& run) {
    auto options = std::make_shared<UpOptions>();
    auto* up_command =
        app.add_subcommand("up", "Start services (and what they depend on); show progress until ready");
    up_command->add_option("services", options->services, "services to start (none: all)");
    up_command
        ->add_option("--timeout", options->timeout_seconds,
                     "give up waiting after this many seconds (exit 5)")
        ->check(CLI::NonNegativeNumber);
    up_command->add_flag("--wait")->description(
        "wait until every service is ready: always so (a one-shot job that completed counts)");
    up_command->add_flag("--json", options->json, "one JSON object per update (NDJSON)");
    up_command->add_flag("--plain", options->plain, "plain lines even on a terminal");
    up_command->callback(
        [options, &run] { run = [options](Session& session) { return up(session, *options); }; });

    auto stop_services = std::make_shared<std::vector<std::string>>();
    auto stop_timeout = std::make_shared<int>(0);
    auto* down_command = app.add_subcommand("down", "Stop services (dependents first); volumes are kept");
    down_command->add_option("services", *stop_services, "services to stop (none: all)");
    down_command->add_option("--timeout", *stop_timeout, "seconds each container gets to stop (0: its own)")
        ->check(CLI::NonNegativeNumber);
    down_command->callback([stop_services, stop_timeout, &run] {
        run = [stop_services, stop_timeout](Session& session) {
            return down(session, *stop_services, *stop_timeout);
        };
    });

    auto restart_service = std::make_shared<std::string>();
    auto restart_timeout = std::make_shared<int>(0);
    auto* restart_command =
        app.add_subcommand("restart", "Restart a service and wait until it is ready again");
    restart_command->add_option("service", *restart_service, "the service")->required();
    restart_command
        ->add_option("--timeout", *restart_timeout, "seconds the container gets to stop (0: its own)")
        ->check(CLI::NonNegativeNumber);
    restart_command->callback([restart_service, restart_timeout, &run] {
        run = [restart_service, restart_timeout](Session& session) {
            return restart(session, *restart_service, *restart_timeout);
        };
    });
}

}  // namespace envctl
