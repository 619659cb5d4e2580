// The operator's operations (envctl): plugins.list, config.effective, timeline.get and
// timeline.plot. Each answers at once from what the daemon holds; nothing reaches the engine.
#include "host/manager/manager_call.h"
#include "host/registry/registry_printer.h"
#include "host/timeline/critical_chain.h"
#include "host/timeline/timeline_svg.h"

#include <envmgr/sdk/documents/operator_documents.h>

namespace envmgr::host::manager {

envmgr_operation_id ManagerOperations::list_plugins(const std::shared_ptr<Call>& call,
                                                    const Request& /*asked: nothing to read*/) {
    forget(call->id);
    call->done.ok(daemon_.plugin_listing.empty() ? R"({"plugins":[],"refused":[]})" : daemon_.plugin_listing);
    return 0;
}

envmgr_operation_id ManagerOperations::effective_config(const std::shared_ptr<Call>& call,
                                                        const Request& asked) {
    auto document = registry::registry_document(engine_.registry());
    auto& tenants = document["tenants"];
    if (!tenants.contains(asked.tenant)) {
        return refuse(call, ENVMGR_STATUS_NOT_FOUND, "tenant: '" + asked.tenant + "' is not configured");
    }
    forget(call->id);
    call->done.ok(nlohmann::json(sdk::EffectiveConfig{asked.tenant, tenants[asked.tenant]}).dump());
    return 0;
}

envmgr_operation_id ManagerOperations::start_timeline(const std::shared_ptr<Call>& call,
                                                      const Request& asked) {
    std::string error;
    const auto chain_of = field<std::string>(asked.body, "chain_of", "", error);
    if (!chain_of) return refuse(call, ENVMGR_STATUS_INVALID, error);
    auto document = engine_.timelines().runs(asked.tenant);
    if (!chain_of->empty()) {
        for (auto& run : document.runs) {
            run.chain_of = *chain_of;
            run.critical_chain = timeline::critical_chain(run, *chain_of);
        }
    }
    forget(call->id);
    call->done.ok(nlohmann::json(document).dump());
    return 0;
}

envmgr_operation_id ManagerOperations::plot_timeline(const std::shared_ptr<Call>& call,
                                                     const Request& asked) {
    std::string error;
    const auto run_index = field<std::size_t>(asked.body, "run", 0, error);
    if (!run_index) return refuse(call, ENVMGR_STATUS_INVALID, error);
    const auto document = engine_.timelines().runs(asked.tenant);
    if (*run_index >= document.runs.size()) {
        return refuse(call, ENVMGR_STATUS_NOT_FOUND,
                      "run: tenant '" + asked.tenant + "' has " + std::to_string(document.runs.size()) +
                          " start run(s) kept; run " + std::to_string(*run_index) + " is not one of them");
    }
    forget(call->id);
    call->done.ok(
        nlohmann::json(sdk::TimelinePlot{timeline::timeline_svg(document.runs[*run_index])}).dump());
    return 0;
}

}  // namespace envmgr::host::manager
