// envctl analyze blame | critical-chain | plot: the start timeline, as systemd-analyze shows
// where a boot's time went. From OperatorService's GetStartTimeline and PlotStartTimeline.
#include "tools/envctl/commands.h"
#include "tools/envctl/exit_codes.h"
#include "tools/envctl/terminal.h"

#include <fmt/format.h>

#include <iostream>

namespace envctl {
namespace {

struct AnalyzeOptions {
    std::string service;
    unsigned run = 0;
};

std::string ms(double milliseconds) {
    return milliseconds < 1000 ? fmt::format("{:.0f}ms", milliseconds)
                               : fmt::format("{:.3f}s", milliseconds / 1000);
}

pb::StartRun start_run(Session& session, const AnalyzeOptions& options) {
    pb::GetStartTimelineRequest request;
    request.set_chain_of(options.service);
    pb::StartTimelineResponse response;
    auto context = session.context(std::chrono::seconds(30));
    const auto status = session.operator_service().GetStartTimeline(context.get(), request, &response);
    if (!status.ok()) throw session.error(status, "the start timeline");
    if (response.runs().empty()) {
        throw CommandError(kExitFailed, "tenant '" + session.tenant() +
                                            "' has no start recorded yet (envctl up starts one)");
    }
    if (options.run >= static_cast<unsigned>(response.runs_size())) {
        throw CommandError(kExitFailed, fmt::format("--run {}: {} run(s) kept (0 is the newest)", options.run,
                                                    response.runs_size()));
    }
    return response.runs(static_cast<int>(options.run));
}

std::string run_heading(const pb::StartRun& run) {
    return fmt::format("{} of tenant '{}' at {}: {} service(s) in {}\n", run.kind(), run.tenant(),
                       utc_time(run.started_unix_ms() / 1000), run.services_size(), ms(run.total_ms()));
}

int blame(Session& session, const AnalyzeOptions& options) {
    const auto run = start_run(session, options);
    std::vector<const pb::ServiceTimeline*> services;
    for (const auto& service : run.services()) services.push_back(&service);
    const auto took = [](const pb::ServiceTimeline* service) {
        const double end = service->ready_ms() >= 0 ? service->ready_ms() : service->failed_ms();
        return service->launched_ms() >= 0 && end >= 0 ? end - service->launched_ms() : -1.0;
    };
    std::stable_sort(services.begin(), services.end(),
                     [&took](auto* a, auto* b) { return took(a) > took(b); });
    std::cout << run_heading(run);
    for (const auto* service : services) {
        const double time = took(service);
        const bool plain_ready = service->outcome() == "ready";
        std::cout << fmt::format("{:>9} {}{}\n", time >= 0 ? ms(time) : "-", service->service(),
                                 plain_ready ? "" : " (" + service->outcome() + ")");
    }
    return kExitOk;
}

int critical_chain(Session& session, const AnalyzeOptions& options) {
    const auto run = start_run(session, options);
    if (run.critical_chain().empty()) {
        throw CommandError(kExitFailed, fmt::format("'{}' did not become ready in this run", run.chain_of()));
    }
    std::cout << run_heading(run);
    std::cout
        << "The time when a service became ready is printed after \"@\", the time it took after \"+\".\n\n";
    const auto& chain = run.critical_chain();
    for (int i = chain.size() - 1, depth = 0; i >= 0; --i, ++depth) {
        const auto& link = chain[i];
        std::string why;
        if (link.wait() == "start_slot") {
            why = fmt::format(" (waited for a start slot; {} freed it)", link.waited_for());
        }
        const std::string indent =
            depth == 0 ? "" : std::string(static_cast<std::size_t>(depth - 1) * 2, ' ') + "└─";
        std::cout << fmt::format("{}{} @{} +{}{}\n", indent, link.service(), ms(link.at_ms()),
                                 ms(link.took_ms()), why);
    }
    return kExitOk;
}

int plot(Session& session, const AnalyzeOptions& options) {
    pb::PlotStartTimelineRequest request;
    request.set_run(options.run);
    pb::PlotStartTimelineResponse response;
    auto context = session.context(std::chrono::seconds(30));
    const auto status = session.operator_service().PlotStartTimeline(context.get(), request, &response);
    if (!status.ok()) throw session.error(status, "the start timeline");
    std::cout << response.svg();
    return kExitOk;
}

}  // namespace

void add_analyze_commands(CLI::App& app, Runner& run) {
    auto* analyze = app.add_subcommand("analyze", "Where the last start's time went");
    analyze->require_subcommand(1);
    auto options = std::make_shared<AnalyzeOptions>();
    const auto add_run = [&options](CLI::App* command) {
        command->add_option("--run", options->run, "which recorded run (0: the newest)");
    };
    auto* blame_command = analyze->add_subcommand("blame", "Services by the time they took to get ready");
    add_run(blame_command);
    blame_command->callback(
        [options, &run] { run = [options](Session& session) { return blame(session, *options); }; });

    auto* chain_command = analyze->add_subcommand(
        "critical-chain", "The chain of waits that decided when a service became ready");
    chain_command->add_option("service", options->service, "the service (default: the last one ready)");
    add_run(chain_command);
    chain_command->callback(
        [options, &run] { run = [options](Session& session) { return critical_chain(session, *options); }; });

    auto* plot_command = analyze->add_subcommand("plot", "The start as an SVG timeline, to standard output");
    add_run(plot_command);
    plot_command->callback(
        [options, &run] { run = [options](Session& session) { return plot(session, *options); }; });
}

}  // namespace envctl
