#include "plugins/backends/docker/engine_backend.h"

#include <boost/asio/post.hpp>

namespace envmgr::plugins::backends::docker {

EngineBackend::EngineBackend(const sdk::Host& host, std::string plugin_id)
    : BackendPlugin(host), plugin_id_(std::move(plugin_id)), io_thread_([this](const std::string& what) {
          this->host().error(plugin_id_ + ": unexpected exception on the io thread: " + what);
      }) {}

void EngineBackend::shut_down() {
    cancel_all();
    boost::asio::post(io_thread_.context(),
                      [this] { for_each_engine([](EngineApi& engine) { engine.shutdown(); }); });
    // Cancelled exchanges finish on the io thread, and then it runs out of work; should
    // something still hold it, it is stopped after a bound: destroy must not hang.
    io_thread_.shutdown();
}

void EngineBackend::cancel_all() {
    for (const auto op_id : operations_.ids()) cancel(op_id);
    boost::asio::post(io_thread_.context(),
                      [this] { for_each_engine([](EngineApi& engine) { engine.cancel_negotiation(); }); });
}

void EngineBackend::stop(const sdk::Completion& done) {
    cancel_all();
    boost::asio::post(io_thread_.context(), [done] { done.ok(); });
}

envmgr_operation_id EngineBackend::invoke(std::string_view operation, const nlohmann::json& request,
                                          const sdk::Completion& done) {
    auto op = operations_.add(std::string(operation), request, done);
    boost::asio::post(io_thread_.context(), [this, op] {
        if (op->cancelled) return;
        // A request the handler cannot use throws; a bad request is the caller's error.
        engine().finish_if_throws(op, ENVMGR_STATUS_INVALID, "", [&] { dispatch(op); });
    });
    return op->id;
}

void EngineBackend::cancel(envmgr_operation_id operation_id) {
    if (auto op = operations_.find(operation_id)) {
        boost::asio::post(io_thread_.context(), [this, op = std::move(op)] { engine().cancel(op); });
    }
}

bool EngineBackend::supported(const OperationPtr& op, bool found) {
    if (!found) {
        engine().finish(op, ENVMGR_STATUS_UNSUPPORTED, plugin_id_ + " has no operation '" + op->name + "'");
    }
    return found;
}

}  // namespace envmgr::plugins::backends::docker
