// A fake host for unit tests of plugin logic, without the daemon: a real envmgr_host_api table
// whose functions record what the plugin does and let the test answer.
//
//   envmgr::sdk::testing::FakeHost fake;
//   MyProbe probe(fake.host(), config);            // or through the ABI: fake.api()
//   probe.check(spec, completion);
//   auto& call = fake.backend_calls().at(0);      // what the plugin asked the backend
//   fake.complete(call.id, ENVMGR_STATUS_OK, R"({"exit_code":0})");
//   fake.run_posted();                            // work the plugin posted, run now
//
// Backend and manager calls stay pending until the test completes them, unless an answer
// function was set (answer_backend / answer_manager), which runs inside the call. Cancelling a
// pending call completes it with CANCELLED, as a real callee does. Events are published to the
// plugin's subscriptions with publish(). Thread-safe; callbacks run without its lock held.
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/host.h>
#include <envmgr/sdk/status.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace envmgr::sdk::testing {

class FakeHost {
public:
    struct LogLine {
        envmgr_log_level level;
        std::string message;
    };
    struct Metric {
        envmgr_metric_kind kind;
        std::string name;
        std::vector<std::pair<std::string, std::string>> labels;
        double value;
    };
    // An operation the plugin started through backend_invoke or manager_invoke.
    struct Call {
        envmgr_operation_id id = 0;
        std::string operation;
        std::string request_json;
        envmgr_callbacks callbacks{};
        bool cancelled = false;  // the plugin asked to cancel it
        bool done = false;
    };
    // Answers a call inside backend_invoke/manager_invoke: complete it through the FakeHost
    // (complete/item with call.id), or leave it pending.
    using Answer = std::function<void(FakeHost& host, const Call& call)>;

    FakeHost() {
        api_.struct_size = sizeof api_;
        api_.abi_major = ENVMGR_ABI_VERSION_MAJOR;
        api_.abi_minor = ENVMGR_ABI_VERSION_MINOR;
        // The context is opaque to plugins: here it is the FakeHost itself.
        api_.ctx = reinterpret_cast<envmgr_host_context*>(this);
        api_.log = &log_fn;
        api_.post = &post_fn;
        api_.record_metric = &record_fn;
        api_.backend_invoke = &backend_invoke_fn;
        api_.backend_cancel = &cancel_fn;
        api_.manager_invoke = &manager_invoke_fn;
        api_.manager_cancel = &cancel_fn;
        api_.subscribe = &subscribe_fn;
        api_.unsubscribe = &unsubscribe_fn;
        api_.subscribe_with = &subscribe_with_fn;
        api_.render_metrics = &render_metrics_fn;
    }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    // The C table a plugin's create receives, and the SDK's view of it.
    [[nodiscard]] const envmgr_host_api* api() const noexcept { return &api_; }
    [[nodiscard]] Host host() const { return Host(&api_); }

    void answer_backend(Answer answer) {
        with_lock([&] { backend_answer_ = std::move(answer); });
    }
    void answer_manager(Answer answer) {
        with_lock([&] { manager_answer_ = std::move(answer); });
    }
    void set_metrics_text(std::string text) {
        with_lock([&] { metrics_text_ = std::move(text); });
    }

    // Delivers an item of a pending call; false when it is unknown or done.
    bool item(envmgr_operation_id id, const std::string& item_json) {
        const auto call = find_pending(id);
        if (!call || call->callbacks.on_item == nullptr) return false;
        call->callbacks.on_item(call->callbacks.user_data, item_json.c_str());
        return true;
    }
    // Completes a pending call; false when it is unknown or done already.
    bool complete(envmgr_operation_id id, envmgr_status status, const std::string& payload = {}) {
        std::optional<Call> call;
        {
            const std::lock_guard lock(mutex_);
            const auto it = calls_.find(id);
            if (it == calls_.end() || it->second.done) return false;
            it->second.done = true;
            call = it->second;
        }
        call->callbacks.on_complete(call->callbacks.user_data, status,
                                    payload.empty() ? nullptr : payload.c_str());
        return true;
    }

    // Runs the work the plugin posted, including work posted meanwhile; returns how many ran.
    std::size_t run_posted() {
        std::size_t ran = 0;
        for (;;) {
            std::pair<void (*)(void*), void*> task;
            {
                const std::lock_guard lock(mutex_);
                if (posted_.empty()) return ran;
                task = posted_.front();
                posted_.pop_front();
            }
            task.first(task.second);
            ++ran;
        }
    }
    // Delivers an event to every subscription whose prefix matches topic; returns how many.
    std::size_t publish(const std::string& topic, const std::string& event_json) {
        std::vector<std::pair<envmgr_event_fn, void*>> targets;
        {
            const std::lock_guard lock(mutex_);
            for (const auto& [id, s] : subscriptions_) {
                if (topic.rfind(s.prefix, 0) == 0) targets.emplace_back(s.fn, s.user);
            }
        }
        for (const auto& [fn, user] : targets) fn(user, topic.c_str(), event_json.c_str());
        return targets.size();
    }

    [[nodiscard]] std::vector<LogLine> logs() const { return copy(logs_); }
    [[nodiscard]] std::vector<Metric> metrics() const { return copy(metrics_); }
    [[nodiscard]] std::vector<Call> backend_calls() const { return calls_of(true); }
    [[nodiscard]] std::vector<Call> manager_calls() const { return calls_of(false); }
    [[nodiscard]] std::size_t posted_count() const {
        const std::lock_guard lock(mutex_);
        return posted_.size();
    }
    [[nodiscard]] std::size_t subscription_count() const {
        const std::lock_guard lock(mutex_);
        return subscriptions_.size();
    }

private:
    struct Subscription {
        std::string prefix;
        envmgr_event_fn fn;
        void* user;
    };

    static FakeHost& of(envmgr_host_context* ctx) { return *reinterpret_cast<FakeHost*>(ctx); }

    template <typename Fn>
    void with_lock(Fn&& fn) {
        const std::lock_guard lock(mutex_);
        fn();
    }
    template <typename Item>
    std::vector<Item> copy(const std::vector<Item>& items) const {
        const std::lock_guard lock(mutex_);
        return items;
    }
    std::vector<Call> calls_of(bool backend) const {
        const std::lock_guard lock(mutex_);
        std::vector<Call> out;
        for (const auto& [id, call] : calls_) {
            if (backend_ids_.contains(id) == backend) out.push_back(call);
        }
        return out;
    }
    std::optional<Call> find_pending(envmgr_operation_id id) const {
        const std::lock_guard lock(mutex_);
        const auto it = calls_.find(id);
        if (it == calls_.end() || it->second.done) return std::nullopt;
        return it->second;
    }

    envmgr_operation_id start_call(bool backend, const char* operation, const char* request,
                                   const envmgr_callbacks* callbacks) {
        if (callbacks == nullptr || callbacks->on_complete == nullptr) return 0;
        Call call;
        Answer answer;
        {
            const std::lock_guard lock(mutex_);
            call.id = next_id_++;
            call.operation = operation != nullptr ? operation : "";
            call.request_json = request != nullptr ? request : "{}";
            call.callbacks = *callbacks;
            calls_.emplace(call.id, call);
            if (backend) backend_ids_.emplace(call.id, true);
            answer = backend ? backend_answer_ : manager_answer_;
        }
        if (answer) answer(*this, call);
        const std::lock_guard lock(mutex_);
        return calls_.at(call.id).done ? 0 : call.id;
    }

    static void log_fn(envmgr_host_context* ctx, envmgr_log_level level, const char* message) noexcept {
        auto& self = of(ctx);
        const std::lock_guard lock(self.mutex_);
        self.logs_.push_back({level, message != nullptr ? message : ""});
    }
    static void post_fn(envmgr_host_context* ctx, void (*fn)(void*), void* user) noexcept {
        auto& self = of(ctx);
        const std::lock_guard lock(self.mutex_);
        self.posted_.emplace_back(fn, user);
    }
    static envmgr_status record_fn(envmgr_host_context* ctx, const envmgr_metric_sample* sample) noexcept {
        if (sample == nullptr || sample->name == nullptr) return ENVMGR_STATUS_INVALID;
        auto& self = of(ctx);
        Metric metric{sample->kind, sample->name, {}, sample->value};
        for (size_t i = 0; i < sample->label_count; ++i) {
            metric.labels.emplace_back(sample->labels[i].name, sample->labels[i].value);
        }
        const std::lock_guard lock(self.mutex_);
        self.metrics_.push_back(std::move(metric));
        return ENVMGR_STATUS_OK;
    }
    static envmgr_operation_id backend_invoke_fn(envmgr_host_context* ctx, const char* operation,
                                                 const char* request,
                                                 const envmgr_callbacks* callbacks) noexcept {
        return of(ctx).start_call(true, operation, request, callbacks);
    }
    static envmgr_operation_id manager_invoke_fn(envmgr_host_context* ctx, const char* operation,
                                                 const char* request,
                                                 const envmgr_callbacks* callbacks) noexcept {
        return of(ctx).start_call(false, operation, request, callbacks);
    }
    static void cancel_fn(envmgr_host_context* ctx, envmgr_operation_id id) noexcept {
        auto& self = of(ctx);
        {
            const std::lock_guard lock(self.mutex_);
            const auto it = self.calls_.find(id);
            if (it == self.calls_.end()) return;
            it->second.cancelled = true;
        }
        self.complete(id, ENVMGR_STATUS_CANCELLED, "cancelled");
    }
    static uint64_t subscribe_with_fn(envmgr_host_context* ctx, const envmgr_subscription_options* options,
                                      envmgr_event_fn fn, void* user) noexcept {
        if (fn == nullptr) return 0;
        auto& self = of(ctx);
        const std::lock_guard lock(self.mutex_);
        const auto id = self.next_id_++;
        const char* prefix =
            options != nullptr && options->topic_prefix != nullptr ? options->topic_prefix : "";
        self.subscriptions_.emplace(id, Subscription{prefix, fn, user});
        return id;
    }
    static uint64_t subscribe_fn(envmgr_host_context* ctx, const char* prefix, envmgr_event_fn fn,
                                 void* user) noexcept {
        envmgr_subscription_options options{};
        options.struct_size = sizeof options;
        options.topic_prefix = prefix;
        return subscribe_with_fn(ctx, &options, fn, user);
    }
    static void unsubscribe_fn(envmgr_host_context* ctx, uint64_t id) noexcept {
        auto& self = of(ctx);
        const std::lock_guard lock(self.mutex_);
        self.subscriptions_.erase(id);
    }
    static envmgr_status render_metrics_fn(envmgr_host_context* ctx, const char* format, envmgr_text_fn write,
                                           void* user) noexcept {
        if (format == nullptr || write == nullptr || std::string(format) != "prometheus") {
            return ENVMGR_STATUS_INVALID;
        }
        auto& self = of(ctx);
        std::string text;
        {
            const std::lock_guard lock(self.mutex_);
            text = self.metrics_text_;
        }
        write(user, text.data(), text.size());
        return ENVMGR_STATUS_OK;
    }

    envmgr_host_api api_{};
    mutable std::mutex mutex_;
    std::vector<LogLine> logs_;
    std::vector<Metric> metrics_;
    std::deque<std::pair<void (*)(void*), void*>> posted_;
    std::map<envmgr_operation_id, Call> calls_;
    std::map<envmgr_operation_id, bool> backend_ids_;
    std::map<std::uint64_t, Subscription> subscriptions_;
    Answer backend_answer_;
    Answer manager_answer_;
    std::string metrics_text_;
    std::uint64_t next_id_ = 1;
};

}  // namespace envmgr::sdk::testing
