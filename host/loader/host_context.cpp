#include "host/loader/host_context.h"

#include "host/loader/plugin_instance.h"

#include <envmgr/sdk/struct_view.h>

#include <boost/asio/post.hpp>

namespace envmgr::host::loader {
namespace {

// Every host function is noexcept and reports what it could not do: nothing unwinds into a
// plugin. This logs what escaped a function that has no status to return.
void log_escaped(envmgr_host_context* ctx, const char* function) noexcept {
    try {
        if (ctx != nullptr && ctx->logger) ctx->logger->error("host API {}: unexpected failure", function);
    } catch (...) {
    }
}

void host_log(envmgr_host_context* ctx, envmgr_log_level level, const char* message) noexcept {
    if (ctx == nullptr || message == nullptr) return;
    try {
        spdlog::level::level_enum spd = spdlog::level::err;  // an unknown level logs as ERROR
        switch (level) {
            case ENVMGR_LOG_LEVEL_TRACE: spd = spdlog::level::trace; break;
            case ENVMGR_LOG_LEVEL_DEBUG: spd = spdlog::level::debug; break;
            case ENVMGR_LOG_LEVEL_INFO: spd = spdlog::level::info; break;
            case ENVMGR_LOG_LEVEL_WARN: spd = spdlog::level::warn; break;
            default: break;
        }
        ctx->logger->log(spd, "{}", message);
    } catch (...) {
    }
}

void host_post(envmgr_host_context* ctx, void (*fn)(void*), void* user_data) noexcept {
    if (ctx == nullptr || fn == nullptr) return;
    try {
        if (!ctx->services.executor) {
            ctx->logger->error("post: this host runs no executor (a one-shot command); the task is dropped");
            return;
        }
        if (ctx->calls->phase() == CallTracker::Phase::closed) return;
        boost::asio::post(ctx->services.executor,
                          [calls = ctx->calls, fn, user_data] { calls->deliver([&] { fn(user_data); }); });
    } catch (...) {
        log_escaped(ctx, "post");
    }
}

envmgr_status host_record_metric(envmgr_host_context* ctx, const envmgr_metric_sample* raw) noexcept {
    if (ctx == nullptr || raw == nullptr || ctx->services.metrics == nullptr) return ENVMGR_STATUS_INVALID;
    try {
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
    } catch (...) {
        return ENVMGR_STATUS_INTERNAL;
    }
}

// Starts an outgoing operation for the plugin: callbacks that cannot be completed are refused at
// once (there is nothing to call), a NULL request is {}, and nothing escapes.
template <typename Start>
envmgr_operation_id start_operation(envmgr_host_context* ctx, const char* function, const char* operation,
                                    const char* request_json, const envmgr_callbacks* callbacks,
                                    Start&& start) noexcept {
    if (ctx == nullptr) return 0;
    try {
        envmgr_callbacks caller{};
        if (!read_callbacks(callbacks, caller)) {
            ctx->logger->error("{}: refused: callbacks are NULL, too short, or have no on_complete",
                               function);
            return 0;
        }
        return start(caller, std::string(operation != nullptr ? operation : ""),
                     std::string(request_json != nullptr ? request_json : "{}"));
    } catch (...) {
        log_escaped(ctx, function);
        return 0;
    }
}

envmgr_operation_id host_backend_invoke(envmgr_host_context* ctx, const char* operation,
                                        const char* request_json,
                                        const envmgr_callbacks* callbacks) noexcept {
    return start_operation(
        ctx, "backend_invoke", operation, request_json, callbacks,
        [ctx](const envmgr_callbacks& caller, const std::string& name, const std::string& request) {
            // Held for the call only; the manager destroys a backend once nobody holds it.
            const auto backend = ctx->services.active_backend ? ctx->services.active_backend() : std::nullopt;
            if (!backend) {
                caller.on_complete(caller.user_data, ENVMGR_STATUS_UNAVAILABLE,
                                   "no backend plugin is loaded");
                return envmgr_operation_id{0};
            }
            return ctx->calls->start(
                caller,
                [&](const envmgr_callbacks& host_callbacks) {
                    return backend->invoke_with(name, request, host_callbacks);
                },
                // Looked up again at cancel time, never kept: a backend being destroyed is not found.
                [active_backend = ctx->services.active_backend,
                 plugin = backend->identity()](envmgr_operation_id id) {
                    const auto current = active_backend();
                    if (current && current->identity() == plugin) current->cancel_operation(id);
                });
        });
}

envmgr_operation_id host_manager_invoke(envmgr_host_context* ctx, const char* operation,
                                        const char* request_json,
                                        const envmgr_callbacks* callbacks) noexcept {
    return start_operation(
        ctx, "manager_invoke", operation, request_json, callbacks,
        [ctx](const envmgr_callbacks& caller, const std::string& name, const std::string& request) {
            if (!ctx->services.manager) {
                const std::string message = "manager operation '" + name + "' is not available in this host";
                caller.on_complete(caller.user_data, ENVMGR_STATUS_UNSUPPORTED, message.c_str());
                return envmgr_operation_id{0};
            }
            return ctx->calls->start(
                caller,
                [&](const envmgr_callbacks& host_callbacks) {
                    return ctx->services.manager(name, request, host_callbacks);
                },
                [cancel = ctx->services.manager_cancel](envmgr_operation_id id) {
                    if (cancel) cancel(id);
                });
        });
}

// backend_cancel and manager_cancel: the plugin's ids are the host's own (CallTracker), so one
// function serves both.
void host_cancel(envmgr_host_context* ctx, envmgr_operation_id id) noexcept {
    if (ctx == nullptr || id == 0) return;
    try {
        ctx->calls->cancel(id);
    } catch (...) {
        log_escaped(ctx, "cancel");
    }
}

uint64_t host_subscribe_with(envmgr_host_context* ctx, const envmgr_subscription_options* raw_options,
                             envmgr_event_fn on_event, void* user_data) noexcept {
    if (ctx == nullptr || on_event == nullptr) return 0;
    try {
        if (ctx->services.event_bus == nullptr) {
            ctx->logger->warn("subscribe: this host runs no event bus (a one-shot command)");
            return 0;
        }
        events::SubscriptionOptions options;
        if (raw_options != nullptr) {
            const auto read = sdk::read_sized_struct<envmgr_subscription_options>(raw_options);
            if (read.struct_size <
                offsetof(envmgr_subscription_options, queue_depth) + sizeof(std::uint32_t)) {
                return 0;
            }
            options.queue_depth = read.queue_depth;
            options.topic_prefix = read.topic_prefix != nullptr ? read.topic_prefix : "";
            options.report_dropped = (read.flags & ENVMGR_SUBSCRIPTION_REPORT_DROPPED) != 0;
        }
        const auto id = ctx->services.event_bus->subscribe(
            std::move(options), [calls = ctx->calls, on_event, user_data](const std::string& topic,
                                                                          const std::string& event_json) {
                calls->deliver([&] { on_event(user_data, topic.c_str(), event_json.c_str()); });
            });
        ctx->calls->add_subscription(id);
        return id;
    } catch (...) {
        log_escaped(ctx, "subscribe");
        return 0;
    }
}

uint64_t host_subscribe(envmgr_host_context* ctx, const char* topic_prefix, envmgr_event_fn on_event,
                        void* user_data) noexcept {
    envmgr_subscription_options options{};
    options.struct_size = sizeof options;
    options.topic_prefix = topic_prefix;
    options.flags = ENVMGR_SUBSCRIPTION_REPORT_DROPPED;
    return host_subscribe_with(ctx, &options, on_event, user_data);
}

void host_unsubscribe(envmgr_host_context* ctx, uint64_t subscription_id) noexcept {
    if (ctx == nullptr || ctx->services.event_bus == nullptr) return;
    try {
        // Only the plugin's own subscriptions: another plugin's id is ignored like an unknown one.
        if (ctx->calls->remove_subscription(subscription_id)) {
            ctx->services.event_bus->unsubscribe(subscription_id);
        }
    } catch (...) {
        log_escaped(ctx, "unsubscribe");
    }
}

envmgr_status host_render_metrics(envmgr_host_context* ctx, const char* format, envmgr_text_fn write,
                                  void* user_data) noexcept {
    if (ctx == nullptr || write == nullptr || format == nullptr) return ENVMGR_STATUS_INVALID;
    try {
        const std::string_view wanted(format);
        if (wanted != "prometheus" && wanted != "json") return ENVMGR_STATUS_INVALID;
        if (ctx->services.metrics == nullptr) return ENVMGR_STATUS_UNSUPPORTED;
        const std::string text =
            wanted == "json" ? ctx->services.metrics->json() : ctx->services.metrics->text();
        write(user_data, text.data(), text.size());
        return ENVMGR_STATUS_OK;
    } catch (...) {
        return ENVMGR_STATUS_INTERNAL;
    }
}

}  // namespace

std::unique_ptr<envmgr_host_context> make_host_context(const std::string& plugin_id,
                                                       std::shared_ptr<spdlog::logger> logger,
                                                       HostServices services) {
    auto ctx = std::make_unique<envmgr_host_context>();
    ctx->plugin_id = plugin_id;
    ctx->calls = std::make_shared<CallTracker>(logger);
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
    api.backend_cancel = &host_cancel;
    api.manager_invoke = &host_manager_invoke;
    api.manager_cancel = &host_cancel;
    api.subscribe = &host_subscribe;
    api.unsubscribe = &host_unsubscribe;
    api.subscribe_with = &host_subscribe_with;
    api.render_metrics = &host_render_metrics;
    return ctx;
}

CallTracker::ShutResult shut_host_context(envmgr_host_context& ctx, std::chrono::milliseconds bound) {
    auto* bus = ctx.services.event_bus;
    return ctx.calls->shut(bound, [bus](std::uint64_t id) {
        if (bus != nullptr) bus->unsubscribe(id);
    });
}

}  // namespace envmgr::host::loader
