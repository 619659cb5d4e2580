// envctl plugins and config: OperatorService's ListPlugins and GetEffectiveConfig.
#include "tools/envctl/commands.h"
#include "tools/envctl/exit_codes.h"
#include "tools/envctl/table.h"
#include "tools/envctl/terminal.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace envctl {
namespace {

int plugins(Session& session, bool json) {
    pb::ListPluginsResponse response;
    auto context = session.context(std::chrono::seconds(30));
    const auto status = session.operator_service().ListPlugins(context.get(), {}, &response);
    if (!status.ok()) throw session.error(status, "the plugin list");
    if (json) {
        nlohmann::json out{{"host_abi_version", response.host_abi_version()},
                           {"plugins", nlohmann::json::array()},
                           {"refused", nlohmann::json::array()}};
        for (const auto& plugin : response.plugins()) {
            out["plugins"].push_back({{"id", plugin.id()},
                                      {"kind", plugin.kind()},
                                      {"version", plugin.version()},
                                      {"abi_version", plugin.abi_version()},
                                      {"description", plugin.description()},
                                      {"file", plugin.file()}});
        }
        for (const auto& refused : response.refused()) {
            out["refused"].push_back(
                {{"file", refused.file()}, {"id", refused.id()}, {"reason", refused.reason()}});
        }
        std::cout << out.dump(2) << '\n';
        return kExitOk;
    }
    std::vector<Row> rows{{"ID", "KIND", "VERSION", "ABI", "DESCRIPTION"}};
    for (const auto& plugin : response.plugins()) {
        rows.push_back(
            {plugin.id(), plugin.kind(), plugin.version(), plugin.abi_version(), plugin.description()});
    }
    std::cout << render_table(rows, Terminal(stdout).width());
    for (const auto& refused : response.refused()) {
        std::cout << "refused: " << refused.file() << ": " << refused.reason() << '\n';
    }
    return kExitOk;
}

int config(Session& session) {
    pb::EffectiveConfigResponse response;
    auto context = session.context(std::chrono::seconds(30));
    const auto status = session.operator_service().GetEffectiveConfig(context.get(), {}, &response);
    if (!status.ok()) throw session.error(status, "the configuration");
    const auto document = nlohmann::json::parse(response.config_json(), nullptr, false);
    std::cout << (document.is_discarded() ? response.config_json() : document.dump(2)) << '\n';
    return kExitOk;
}

}  // namespace

void add_info_commands(CLI::App& app, Runner& run) {
    auto json = std::make_shared<bool>(false);
    auto* plugins_command =
        app.add_subcommand("plugins", "The plugins the daemon loaded, and the files it refused");
    plugins_command->add_flag("--json", *json, "JSON instead of the table");
    plugins_command->callback(
        [json, &run] { run = [json](Session& session) { return plugins(session, *json); }; });

    auto* config_command = app.add_subcommand(
        "config", "The tenant's services as the daemon runs them (secrets masked), as JSON");
    config_command->callback([&run] { run = [](Session& session) { return config(session); }; });
}

}  // namespace envctl
