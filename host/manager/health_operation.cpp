// daemon.health: the daemon itself, for /health: version, uptime, plugins, whether the engine
// answers (one system.ping; the caller bounds the wait), and how many services are in each state.
#include "host/manager/manager_call.h"

namespace envmgr::host::manager {

envmgr_operation_id ManagerOperations::daemon_health(const std::shared_ptr<Call>& call,
                                                     const Request& /*asked: nothing to read*/) {
    const auto uptime =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - daemon_.started).count();
    auto document = std::make_shared<nlohmann::json>(nlohmann::json{
        {"version", daemon_.version}, {"uptime_seconds", uptime}, {"plugins", daemon_.plugins}});
    engine_.snapshot("", [this, call, document](const sdk::StatusSnapshot& snapshot) {
        std::map<std::string, int> by_state;
        for (const auto& service : snapshot.services) ++by_state[service.state];
        (*document)["services"] = by_state;
        engine_.backend().invoke("system.ping", nlohmann::json::object(),
                                 [this, call, document](const sdk::Result& ping) {
                                     (*document)["engine"] = {{"reachable", ping.ok()},
                                                              {"message", ping.ok() ? "" : ping.payload}};
                                     forget(call->id);
                                     call->done.ok(document->dump());
                                 });
    });
    return call->id;
}

}  // namespace envmgr::host::manager
