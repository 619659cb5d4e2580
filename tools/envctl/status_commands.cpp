// envctl ps, health, resources: GetServicesStatus as a fitted table (or JSON), StreamHealth as
// lines, GetResourceAvailability.
#include "tools/envctl/commands.h"
#include "tools/envctl/exit_codes.h"
#include "tools/envctl/table.h"
#include "tools/envctl/terminal.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <thread>

namespace envctl {
namespace {

struct StatusOptions {
    std::vector<std::string> services;
    bool json = false;
    bool watch = false;
    double interval_seconds = 2;
};

std::vector<pb::ServiceStatus> services_status(Session& session, const std::vector<std::string>& services) {
    pb::GetServicesStatusRequest request;
    for (const auto& service : services) request.add_service_names(service);
    pb::ServicesStatusResponse response;
    auto context = session.context(std::chrono::seconds(30));
    const auto status = session.manager().GetServicesStatus(context.get(), request, &response);
    if (!status.ok()) throw session.error(status, "status");
    std::vector<pb::ServiceStatus> out;
    for (const auto& [name, service] : response.services()) out.push_back(service);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name() < b.name(); });
    return out;
}

std::string health_of(const pb::ServiceStatus& service) {
    if (service.health_checks().empty()) return "-";
    std::vector<std::string> names;
    for (const auto& [name, result] : service.health_checks()) names.push_back(name);
    std::sort(names.begin(), names.end());
    const std::string& state = service.status();
    const char* word = state == "healthy"           ? "passing"
                       : state == "unhealthy"       ? "failing"
                       : state == "waiting-healthy" ? "pending"
                                                    : "-";
    return fmt::format("{} ({})", word, fmt::join(names, ","));
}

std::string ports_of(const pb::ServiceStatus& service) {
    return service.ports().empty() ? "-" : fmt::format("{}", fmt::join(service.ports(), ","));
}

std::string uptime_of(const pb::ServiceStatus& service) {
    if (service.started_at() <= 0) return "-";
    return human_duration(static_cast<double>(std::time(nullptr) - service.started_at()));
}

// NODE appears when a service runs on a machine a backend named (a swarm), never on one engine.
std::string ps_table(const std::vector<pb::ServiceStatus>& services, const std::string& tenant, int width) {
    const bool nodes = std::any_of(services.begin(), services.end(),
                                   [](const pb::ServiceStatus& service) { return !service.node().empty(); });
    std::vector<Row> rows{
        {"SERVICE", "TENANT", "STATE", "HEALTH", "PORTS", "UPTIME", "RESTARTS", "CPU", "MEMORY"}};
    if (nodes) rows.front().insert(rows.front().begin() + 2, "NODE");
    for (const auto& service : services) {
        const auto& usage = service.resource_usage();
        const bool runs = !service.container_id().empty() && service.started_at() > 0;
        rows.push_back({service.name(), tenant, service.status(), health_of(service), ports_of(service),
                        uptime_of(service), std::to_string(service.restart_count()),
                        runs ? fmt::format("{:.1f}%", usage.cpu_percent()) : "-",
                        runs ? human_bytes(static_cast<double>(usage.memory_bytes())) : "-"});
        if (nodes) rows.back().insert(rows.back().begin() + 2, service.node().empty() ? "-" : service.node());
    }
    return render_table(rows, width);
}

nlohmann::json ps_json(const std::vector<pb::ServiceStatus>& services, const std::string& tenant) {
    auto out = nlohmann::json::array();
    for (const auto& service : services) {
        const auto& usage = service.resource_usage();
        out.push_back({{"service", service.name()},
                       {"tenant", tenant},
                       {"state", service.status()},
                       {"message", service.message()},
                       {"container_id", service.container_id()},
                       {"ports", std::vector<int>(service.ports().begin(), service.ports().end())},
                       {"health_checks", std::map<std::string, std::string>(service.health_checks().begin(),
                                                                            service.health_checks().end())},
                       {"started_at", service.started_at()},
                       {"restarts", service.restart_count()},
                       {"cpu_percent", usage.cpu_percent()},
                       {"memory_bytes", usage.memory_bytes()}});
        if (!service.node().empty()) out.back()["node"] = service.node();
    }
    return out;
}

int ps(Session& session, const StatusOptions& options) {
    const Terminal terminal(stdout);
    for (;;) {
        const auto services = services_status(session, options.services);
        if (options.json) {
            std::cout << ps_json(services, session.tenant()).dump(options.watch ? -1 : 2) << std::endl;
        } else {
            // --watch on a terminal: the table replaces the last one (home, clear below).
            if (options.watch && terminal.interactive()) std::cout << "\033[H\033[J";
            std::cout << ps_table(services, session.tenant(), terminal.width()) << std::flush;
            if (options.watch && !terminal.interactive()) std::cout << '\n';
        }
        if (!options.watch) return kExitOk;
        std::this_thread::sleep_for(
            std::chrono::milliseconds(static_cast<long>(options.interval_seconds * 1000)));
    }
}

std::string health_line(const pb::HealthUpdate& update, const Terminal& terminal) {
    const auto transition = update.details().find("transition");
    std::time_t at = update.timestamp();
    std::tm local{};
    localtime_r(&at, &local);
    char clock[16];
    std::strftime(clock, sizeof clock, "%H:%M:%S", &local);
    const std::string word = update.healthy() ? "healthy" : "unhealthy";
    return fmt::format("{} {} {}{}{}", clock, update.service_name(), terminal.paint(word, state_colour(word)),
                       transition == update.details().end() ? "" : " (" + transition->second + ")",
                       update.message().empty() ? "" : ": " + update.message());
}

// Without -w: each service's health now, with what each check last said; exit 1 when one is not
// healthy. With -w: every transition as it happens, until interrupted.
int health(Session& session, const StatusOptions& options) {
    const Terminal terminal(stdout);
    if (!options.watch) {
        bool all_healthy = true;
        for (const auto& service : services_status(session, options.services)) {
            const std::string& state = service.status();
            all_healthy = all_healthy && state == "healthy";
            std::cout << fmt::format("{} {}{}\n", service.name(), terminal.paint(state, state_colour(state)),
                                     service.message().empty() ? "" : ": " + service.message());
            for (const auto& [check, result] : service.health_checks()) {
                std::cout << fmt::format("  {}: {}\n", check, result);
            }
        }
        return all_healthy ? kExitOk : kExitFailed;
    }
    pb::StreamHealthRequest request;
    for (const auto& service : options.services) request.add_service_names(service);
    auto context = session.context();
    auto reader = session.manager().StreamHealth(context.get(), request);
    pb::HealthUpdate update;
    while (reader->Read(&update)) std::cout << health_line(update, terminal) << std::endl;
    throw session.error(reader->Finish(), "health stream");
}

int resources(Session& session, const std::string& workload_class) {
    pb::GetResourceAvailabilityRequest request;
    request.set_workload_class(workload_class);
    pb::ResourceAvailabilityResponse response;
    auto context = session.context(std::chrono::seconds(30));
    const auto status = session.manager().GetResourceAvailability(context.get(), request, &response);
    if (!status.ok()) throw session.error(status, "resources");
    const auto& hardware = response.hardware();
    std::cout << fmt::format("host: {} CPU cores, {} memory, {} GPU(s)\n", hardware.cpu_cores(),
                             human_bytes(static_cast<double>(hardware.memory_bytes())), hardware.gpus_size());
    for (const auto& gpu : hardware.gpus()) {
        std::cout << fmt::format("  GPU {}: {}, {}, {:.0f}% busy\n", gpu.index(), gpu.name(),
                                 human_bytes(static_cast<double>(gpu.memory_bytes())),
                                 gpu.utilization_percent());
    }
    std::cout << fmt::format("{}: {} of {} task slot(s) in use{}\n",
                             workload_class.empty() ? "cpu_short" : workload_class, response.in_use(),
                             response.capacity(), response.available() ? "" : " (none free)");
    return kExitOk;
}

}  // namespace

void add_status_commands(CLI::App& app, Runner& run) {
    auto options = std::make_shared<StatusOptions>();
    auto* ps_command =
        app.add_subcommand("ps", "The services: state, health, ports, uptime, restarts, CPU, memory");
    ps_command->add_option("services", options->services, "services to show (none: all)");
    ps_command->add_flag("--json", options->json, "a JSON array instead of the table");
    ps_command->add_flag("-w,--watch", options->watch,
                         "show it again every --interval seconds until interrupted");
    ps_command->add_option("--interval", options->interval_seconds, "seconds between --watch updates")
        ->check(CLI::Range(0.1, 3600.0));
    ps_command->callback(
        [options, &run] { run = [options](Session& session) { return ps(session, *options); }; });

    auto* health_command = app.add_subcommand("health", "Each service's health and what its checks said");
    health_command->add_option("services", options->services, "services to show (none: all)");
    health_command->add_flag("-w,--watch", options->watch, "follow health transitions until interrupted");
    health_command->callback(
        [options, &run] { run = [options](Session& session) { return health(session, *options); }; });

    auto workload_class = std::make_shared<std::string>();
    auto* resources_command =
        app.add_subcommand("resources", "The host's cores, memory and GPUs; task slots in use");
    resources_command->add_option("--class", *workload_class, "workload class: cpu_short, cpu_long or gpu");
    resources_command->callback([workload_class, &run] {
        run = [workload_class](Session& session) { return resources(session, *workload_class); };
    });
}

}  // namespace envctl
