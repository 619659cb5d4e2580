// C++ view of the host API table handed to a plugin at create.
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/async_call.h>
#include <envmgr/sdk/struct_view.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace envmgr::sdk {

struct MetricLabel {
    std::string name;
    std::string value;
};

class Host {
public:
    Host() = default;
    explicit Host(const envmgr_host_api* api) : api_(read_sized_struct<envmgr_host_api>(api)) {}

    [[nodiscard]] bool valid() const noexcept { return api_.ctx != nullptr; }
    [[nodiscard]] std::uint16_t abi_minor() const noexcept { return api_.abi_minor; }

    void log(envmgr_log_level level, const std::string& message) const {
        if (api_.log != nullptr) api_.log(api_.ctx, level, message.c_str());
    }
    void debug(const std::string& message) const { log(ENVMGR_LOG_LEVEL_DEBUG, message); }
    void info(const std::string& message) const { log(ENVMGR_LOG_LEVEL_INFO, message); }
    void warn(const std::string& message) const { log(ENVMGR_LOG_LEVEL_WARN, message); }
    void error(const std::string& message) const { log(ENVMGR_LOG_LEVEL_ERROR, message); }

    // Runs task on a host thread, never inside this call. A task not yet run when the plugin
    // is destroyed is dropped by the host (and its captures with it are leaked, not run).
    void post(std::function<void()> task) const {
        if (api_.post == nullptr) return;
        auto* boxed = new std::function<void()>(std::move(task));
        api_.post(api_.ctx, &run_posted, boxed);
    }

    envmgr_status record(envmgr_metric_kind kind, const std::string& name, const std::string& help,
                         double value, const std::vector<MetricLabel>& labels = {}) const {
        if (api_.record_metric == nullptr) return ENVMGR_STATUS_UNSUPPORTED;
        std::vector<envmgr_metric_label> c_labels;
        c_labels.reserve(labels.size());
        for (const auto& label : labels) c_labels.push_back({label.name.c_str(), label.value.c_str()});
        envmgr_metric_sample sample{};
        sample.struct_size = sizeof sample;
        sample.kind = kind;
        sample.name = name.c_str();
        sample.help = help.c_str();
        sample.labels = c_labels.empty() ? nullptr : c_labels.data();
        sample.label_count = c_labels.size();
        sample.value = value;
        return api_.record_metric(api_.ctx, &sample);
    }

    envmgr_operation_id backend_invoke(const std::string& operation, const std::string& request_json,
                                       CompleteHandler on_complete, ItemHandler on_item = {}) const {
        return invoke(api_.backend_invoke, operation, request_json, std::move(on_complete),
                      std::move(on_item));
    }
    void backend_cancel(envmgr_operation_id id) const {
        if (api_.backend_cancel != nullptr) api_.backend_cancel(api_.ctx, id);
    }

    envmgr_operation_id manager_invoke(const std::string& operation, const std::string& request_json,
                                       CompleteHandler on_complete, ItemHandler on_item = {}) const {
        return invoke(api_.manager_invoke, operation, request_json, std::move(on_complete),
                      std::move(on_item));
    }
    void manager_cancel(envmgr_operation_id id) const {
        if (api_.manager_cancel != nullptr) api_.manager_cancel(api_.ctx, id);
    }

    using EventHandler = std::function<void(std::string_view topic, std::string_view event_json)>;

    // An empty Subscription (id 0) when the host offers none. The handler lives in the
    // Subscription, which unsubscribes when destroyed.
    class Subscription {
    public:
        Subscription() = default;
        using UnsubscribeFn = void (*)(envmgr_host_context*, std::uint64_t);
        Subscription(envmgr_host_context* ctx, UnsubscribeFn unsubscribe, std::uint64_t id,
                     std::unique_ptr<EventHandler> handler)
            : ctx_(ctx), unsubscribe_(unsubscribe), id_(id), handler_(std::move(handler)) {}
        Subscription(Subscription&& other) noexcept { *this = std::move(other); }
        Subscription& operator=(Subscription&& other) noexcept {
            if (this != &other) {
                reset();
                ctx_ = std::exchange(other.ctx_, nullptr);
                unsubscribe_ = std::exchange(other.unsubscribe_, nullptr);
                id_ = std::exchange(other.id_, 0);
                handler_ = std::move(other.handler_);
            }
            return *this;
        }
        Subscription(const Subscription&) = delete;
        Subscription& operator=(const Subscription&) = delete;
        ~Subscription() { reset(); }

        [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
        void reset() {
            if (unsubscribe_ != nullptr && id_ != 0) unsubscribe_(ctx_, id_);
            ctx_ = nullptr;
            unsubscribe_ = nullptr;
            id_ = 0;
            handler_.reset();
        }

    private:
        envmgr_host_context* ctx_ = nullptr;
        UnsubscribeFn unsubscribe_ = nullptr;
        std::uint64_t id_ = 0;
        std::unique_ptr<EventHandler> handler_;
    };

    struct SubscribeOptions {
        std::string topic_prefix;       // "" : every topic
        std::uint32_t queue_depth = 0;  // 0 : the host's default (1024)
        bool report_dropped = true;     // a "dropped" event, {"dropped": N}, after a loss
    };

    // An empty Subscription (id 0) when the host offers none. Events arrive on a host thread,
    // one at a time per subscription (abi.h).
    [[nodiscard]] Subscription subscribe(const std::string& topic_prefix, EventHandler handler) const {
        return subscribe(SubscribeOptions{topic_prefix, 0, true}, std::move(handler));
    }
    [[nodiscard]] Subscription subscribe(const SubscribeOptions& options, EventHandler handler) const {
        auto boxed = std::make_unique<EventHandler>(std::move(handler));
        std::uint64_t id = 0;
        if (api_.subscribe_with != nullptr) {
            envmgr_subscription_options raw{};
            raw.struct_size = sizeof raw;
            raw.queue_depth = options.queue_depth;
            raw.topic_prefix = options.topic_prefix.c_str();
            raw.flags =
                options.report_dropped ? static_cast<std::uint32_t>(ENVMGR_SUBSCRIPTION_REPORT_DROPPED) : 0U;
            id = api_.subscribe_with(api_.ctx, &raw, &deliver_event, boxed.get());
        } else if (api_.subscribe != nullptr) {  // an ABI 1.0 host: default options only
            id = api_.subscribe(api_.ctx, options.topic_prefix.c_str(), &deliver_event, boxed.get());
        }
        if (id == 0) return {};
        return Subscription(api_.ctx, api_.unsubscribe, id, std::move(boxed));
    }

    // The host's metrics in a text format ("prometheus"); UNSUPPORTED from an ABI 1.0 host.
    [[nodiscard]] Result render_metrics(const std::string& format = "prometheus") const {
        if (api_.render_metrics == nullptr) {
            return Result{ENVMGR_STATUS_UNSUPPORTED, "host does not render metrics"};
        }
        std::string text;
        const envmgr_status status = api_.render_metrics(
            api_.ctx, format.c_str(),
            [](void* user, const char* data, size_t length) {
                static_cast<std::string*>(user)->append(data, length);
            },
            &text);
        if (status != ENVMGR_STATUS_OK) return Result{status, "render_metrics(" + format + ") failed"};
        return Result{ENVMGR_STATUS_OK, std::move(text)};
    }

private:
    using InvokeFn = envmgr_operation_id (*)(envmgr_host_context*, const char*, const char*,
                                             const envmgr_callbacks*);

    envmgr_operation_id invoke(InvokeFn fn, const std::string& operation, const std::string& request,
                               CompleteHandler on_complete, ItemHandler on_item) const {
        if (fn == nullptr) {
            on_complete(Result{ENVMGR_STATUS_UNSUPPORTED, "host does not offer this call"});
            return 0;
        }
        const envmgr_callbacks callbacks = make_callbacks(std::move(on_complete), std::move(on_item));
        return fn(api_.ctx, operation.c_str(), request.c_str(), &callbacks);
    }

    static void run_posted(void* user) noexcept {
        std::unique_ptr<std::function<void()>> task(static_cast<std::function<void()>*>(user));
        try {
            (*task)();
        } catch (...) {  // nothing unwinds into the host
        }
    }
    static void deliver_event(void* user, const char* topic, const char* event_json) noexcept {
        try {
            (*static_cast<EventHandler*>(user))(topic != nullptr ? topic : "",
                                                event_json != nullptr ? event_json : "");
        } catch (...) {
        }
    }

    envmgr_host_api api_{};
};

}  // namespace envmgr::sdk
