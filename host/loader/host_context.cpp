#include "host/loader/host_context.h"

#include "host/loader/plugin_instance.h"

#include <envmgr/sdk/struct_view.h>

#include <boost/asio/post.hpp>

namespace envmgr::host::loader {
namespace {

void complete_now(const envmgr_callbacks* callbacks, envmgr_status status, const char* message) {
    const auto cb = sdk::read_sized_struct<envmgr_callbacks>(callbacks);
    if (cb.on_complete != nullptr) cb.on_complete(cb.user_data, status, message);
}

void host_log(envmgr_host_context* ctx, envmgr_log_level level, const char* message) {
    if (ctx == nullptr || message == nullptr) return;
    spdlog::level::level_enum spd = spdlog::level::info;
    switch (level) {
        case ENVMGR_LOG_LEVEL_TRACE: spd = spdlog::level::trace; break;
        case ENVMGR_LOG_LEVEL_DEBUG: spd = spdlog::level::debug; break;
        case ENVMGR_LOG_LEVEL_INFO: spd = spdlog::level::info; break;
        case ENVMGR_LOG_LEVEL_WARN: spd = spdlog::level::warn; break;
        case ENVMGR_LOG_LEVEL_ERROR: spd = spdlog::level::err; break;
    }
    ctx->logger->log(spd, "{}", message);
}

void host_post(envmgr_host_context* ctx, void (*fn)(void*), void* user_data) {
    if (ctx == nullptr || fn == nullptr) return;
    boost::asio::post(ctx->services.executor, [fn, user_data] { fn(user_data); });
}

envmgr_status host_record_metric(envmgr_host_context* ctx, const envmgr_metric_sample* raw) {
    if (ctx == nullptr || raw == nullptr || ctx->services.metrics == nullptr) return ENVMGR_STATUS_INVALID;
    const auto sample = sdk::read_sized_struct<envmgr_metric_sample>(raw);
    if (sample.name == nullptr) return ENVMGR_STATUS_INVALID;
    metrics::Labels labels;
    for (size_t i = 0; i < sample.label_count && sample.labels != nullptr; ++i) {
        const auto& label = sample.labels[i];
        if (label.name == nullptr || label.value == nullptr) return ENVMGR_STATUS_INVALID;
        labels.emplace_back(label.name, label.value);
    }
    const std::string error = ctx->services.metrics->record(
        sample.kind, sample.name, sample.help != nullptr ? sample.help : "", labels, sample.value);
    if (!error.empty()) {
        ctx->logger->warn("metric rejected: {}", error);
        return ENVMGR_STATUS_INVALID;
    }
    return ENVMGR_STATUS_OK;
}

// Held for the call, so that a backend being stopped on another thread stays alive meanwhile.
std::shared_ptr<PluginInstance> backend_of(const envmgr_host_context* ctx) {
    return ctx != nullptr && ctx->services.active_backend ? ctx->services.active_backend() : nullptr;
}

envmgr_operation_id host_backend_invoke(envmgr_host_context* ctx, const char* operation,
                                        const char* request_json, const envmgr_callbacks* callbacks) {
    const auto backend = backend_of(ctx);
    if (backend == nullptr) {
        complete_now(callbacks, ENVMGR_STATUS_UNAVAILABLE, "no backend plugin is loaded");
        return 0;
    }
    return backend->library().backend_api.invoke(backend->raw(), operation, request_json, callbacks);
}

void host_backend_cancel(envmgr_host_context* ctx, envmgr_operation_id id) {
    const auto backend = backend_of(ctx);
    if (backend != nullptr && id != 0) backend->library().backend_api.cancel(backend->raw(), id);
}

envmgr_operation_id host_manager_invoke(envmgr_host_context* ctx, const char* operation,
                                        const char* request_json, const envmgr_callbacks* callbacks) {
    const std::string op = operation != nullptr ? operation : "";
    if (ctx == nullptr || !ctx->services.manager) {
        const std::string message = "manager operation '" + op + "' is not available in this host";
        complete_now(callbacks, ENVMGR_STATUS_UNSUPPORTED, message.c_str());
        return 0;
    }
    return ctx->services.manager(op, request_json != nullptr ? request_json : "",
                                 sdk::read_sized_struct<envmgr_callbacks>(callbacks));
}

void host_manager_cancel(envmgr_host_context* ctx, envmgr_operation_id id) {
    if (ctx != nullptr && ctx->services.manager_cancel && id != 0) ctx->services.manager_cancel(id);
}

uint64_t host_subscribe(envmgr_host_context*, const char*, envmgr_event_fn, void*) {
    return 0;  // no event bus in this host yet: documented as "0 when unsupported"
}

void host_unsubscribe(envmgr_host_context*, uint64_t) {}

}  // namespace

std::unique_ptr<envmgr_host_context> make_host_context(const std::string& plugin_id,
                                                       std::shared_ptr<spdlog::logger> logger,
                                                       HostServices services) {
    auto ctx = std::make_unique<envmgr_host_context>();
    ctx->plugin_id = plugin_id;
    ctx->logger = std::move(logger);
    ctx->services = std::move(services);
    envmgr_host_api& api = ctx->api;
    api.struct_size = sizeof(envmgr_host_api);
    api.abi_major = ENVMGR_ABI_VERSION_MAJOR;
    api.abi_minor = ENVMGR_ABI_VERSION_MINOR;
    api.ctx = ctx.get();
    api.log = &host_log;
    api.post = &host_post;
    api.record_metric = &host_record_metric;
    api.backend_invoke = &host_backend_invoke;
    api.backend_cancel = &host_backend_cancel;
    api.manager_invoke = &host_manager_invoke;
    api.manager_cancel = &host_manager_cancel;
    api.subscribe = &host_subscribe;
    api.unsubscribe = &host_unsubscribe;
    return ctx;
}

}  // namespace envmgr::host::loader
