// What a backend plugin over the Engine API is made of, whichever engine it drives (one engine,
// a swarm's manager): the operations in flight, the io thread they run on, and the plugin's
// calls (invoke, cancel, stop) that hand them to it. A backend adds its engines and its dispatch.
#pragma once

#include "plugins/backends/docker/engine_api.h"
#include "plugins/backends/docker/operation.h"

#include <envmgr/kit/io_thread.h>
#include <envmgr/sdk/sdk.h>

#include <functional>
#include <string>
#include <string_view>

namespace envmgr::plugins::backends::docker {

class EngineBackend : public sdk::BackendPlugin {
public:
    EngineBackend(const EngineBackend&) = delete;
    EngineBackend& operator=(const EngineBackend&) = delete;
    ~EngineBackend() override = default;

    envmgr_operation_id invoke(std::string_view operation, const nlohmann::json& request,
                               const sdk::Completion& done);
    void cancel(envmgr_operation_id operation_id);
    void stop(const sdk::Completion& done);

protected:
    // plugin_id names the plugin in messages.
    EngineBackend(const sdk::Host& host, std::string plugin_id);

    // The engines an operation may use, each told to stop what it has not started yet (its
    // version negotiation) or, at shutdown, everything; `cancel` ends operations through engine().
    virtual EngineApi& engine() = 0;
    virtual void for_each_engine(const std::function<void(EngineApi&)>& visit) = 0;
    // Runs op on the io thread: finds its handler and starts it.
    virtual void dispatch(const OperationPtr& op) = 0;
    // Ends op as UNSUPPORTED unless `found`; the plugin id names who lacks it.
    bool supported(const OperationPtr& op, bool found);

    // The first thing a backend's destructor does, while its engines still exist: cancels every
    // operation, shuts the engines down on the io thread and stops it (bounded).
    void shut_down();

    std::string plugin_id_;
    OperationRegistry operations_;
    kit::IoThread io_thread_;

private:
    void cancel_all();
};

}  // namespace envmgr::plugins::backends::docker
