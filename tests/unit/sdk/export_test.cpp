// The SDK's export glue as the host meets it through the C ABI: plugin classes below are turned
// into descriptors by descriptor_for<T>() and called only through the C function tables.
#include <envmgr/sdk/sdk.h>
#include <envmgr/sdk/testing/fake_host.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace envmgr::sdk {
namespace {

using namespace std::chrono_literals;

// Streams five items from a thread of its own per "stream" call; "once" completes at once.
class StreamBackend : public BackendPlugin {
public:
    static constexpr const char* id = "backend.sdk-test";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "test";

    StreamBackend(const Host& host, const nlohmann::json&) : BackendPlugin(host) {}
    StreamBackend(const StreamBackend&) = delete;
    StreamBackend& operator=(const StreamBackend&) = delete;
    ~StreamBackend() override {
        const std::lock_guard lock(mutex_);
        for (auto& thread : threads_) thread.join();
    }

    envmgr_operation_id invoke(std::string_view operation, const nlohmann::json& request,
                               const Completion& done) {
        last_request = request;
        const envmgr_operation_id op_id = ++next_id_;
        if (operation == "once") {
            done.ok(R"({"once":true})");
            return op_id;
        }
        const std::lock_guard lock(mutex_);
        pending_[op_id] = done;
        threads_.emplace_back([done] {
            for (int i = 0; i < 5; ++i) done.item(std::to_string(i));
        });
        return op_id;
    }
    void cancel(envmgr_operation_id op_id) {
        Completion done;
        {
            const std::lock_guard lock(mutex_);
            const auto it = pending_.find(op_id);
            if (it == pending_.end()) return;
            done = it->second;
            pending_.erase(it);
        }
        done.fail(ENVMGR_STATUS_CANCELLED, "cancelled");  // completes inside the cancel call
    }

    nlohmann::json last_request;

private:
    std::mutex mutex_;
    std::map<envmgr_operation_id, Completion> pending_;
    std::vector<std::thread> threads_;
    std::atomic<envmgr_operation_id> next_id_{0};
};

class DefinitionsService : public ServicePlugin {
public:
    static constexpr const char* id = "service.sdk-test";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "test";

    DefinitionsService(const Host& host, const nlohmann::json& config)
        : ServicePlugin(host), fail_(config.value("fail", false)) {}

    std::vector<ServiceDefinition> definitions() {
        ++calls;
        if (fail_) throw Error(ENVMGR_STATUS_INVALID, "the definitions file is missing");
        ServiceDefinition web;
        web.name = "web";
        web.image = "busybox:latest";
        return {web};
    }

    int calls = 0;

private:
    bool fail_;
};

using testing::FakeHost;

// Creates a T through its descriptor, as the host does.
template <typename T>
struct Created {
    explicit Created(const FakeHost& host, const std::string& config = "{}")
        : descriptor(*detail::descriptor_for<T>()) {
        char error[ENVMGR_ERROR_BUFFER_SIZE] = {};
        EXPECT_EQ(descriptor.create(host.api(), config.c_str(), &instance, error, sizeof error),
                  ENVMGR_STATUS_OK)
            << error;
    }
    ~Created() { descriptor.destroy(instance); }
    Created(const Created&) = delete;
    Created& operator=(const Created&) = delete;

    T& plugin() { return detail::self_of<T>(instance)->plugin; }
    template <typename Api>
    const Api& table() const {
        return *static_cast<const Api*>(descriptor.kind_api);
    }

    const envmgr_plugin_descriptor& descriptor;
    envmgr_plugin_instance* instance = nullptr;
};

// What the host's caller sees of one operation.
struct Observed {
    std::mutex mutex;
    std::vector<std::string> events;
    std::promise<void> completed;

    void add(std::string event) {
        const std::lock_guard lock(mutex);
        events.push_back(std::move(event));
    }
};

TEST(SdkBoundary, ACallbackMayCancelAndInvokeTheSamePluginFromInsideOnItemAndOnComplete) {
    FakeHost host;
    Created<StreamBackend> backend(host);
    const auto& api = backend.table<envmgr_backend_api>();

    struct Caller {
        const envmgr_backend_api* api = nullptr;
        envmgr_plugin_instance* self = nullptr;
        envmgr_operation_id stream_id = 0;
        std::atomic<bool> id_known{false};
        Observed observed;
        std::atomic<int> nested_done{0};
    };
    Caller caller;
    caller.api = &api;
    caller.self = backend.instance;

    envmgr_callbacks nested{};
    nested.struct_size = sizeof nested;
    nested.user_data = &caller;
    nested.on_complete = [](void* user, envmgr_status, const char*) {
        ++static_cast<Caller*>(user)->nested_done;
    };

    envmgr_callbacks callbacks{};
    callbacks.struct_size = sizeof callbacks;
    callbacks.user_data = &caller;
    static envmgr_callbacks nested_static;
    nested_static = nested;
    callbacks.on_item = [](void* user, const char* item) {
        auto& c = *static_cast<Caller*>(user);
        while (!c.id_known) std::this_thread::yield();
        c.observed.add(std::string("item ") + item);
        c.api->cancel(c.self, c.stream_id);                      // completes the operation, inside this call
        c.api->invoke(c.self, "once", nullptr, &nested_static);  // and a new call into the same plugin
        c.observed.add("after cancel");
    };
    callbacks.on_complete = [](void* user, envmgr_status status, const char*) {
        auto& c = *static_cast<Caller*>(user);
        c.observed.add(status == ENVMGR_STATUS_CANCELLED ? "complete cancelled" : "complete other");
        c.api->invoke(c.self, "once", nullptr, &nested_static);
        c.observed.completed.set_value();
    };
    caller.stream_id = api.invoke(backend.instance, "stream", "{}", &callbacks);
    caller.id_known = true;
    ASSERT_EQ(caller.observed.completed.get_future().wait_for(5s), std::future_status::ready) << "deadlock";
    std::this_thread::sleep_for(20ms);  // anything late would show now
    const std::lock_guard lock(caller.observed.mutex);
    EXPECT_EQ(caller.observed.events,
              (std::vector<std::string>{"item 0", "after cancel", "complete cancelled"}));
    EXPECT_EQ(caller.nested_done.load(), 2);
}

TEST(SdkBoundary, UnusableCallbacksAreRefusedAndANullRequestIsAnEmptyObject) {
    FakeHost host;
    Created<StreamBackend> backend(host);
    const auto& api = backend.table<envmgr_backend_api>();
    EXPECT_EQ(api.invoke(backend.instance, "once", "{}", nullptr), 0U);
    envmgr_callbacks empty{};
    empty.struct_size = sizeof empty;
    EXPECT_EQ(api.invoke(backend.instance, "once", "{}", &empty), 0U);

    Result result;
    const auto callbacks = make_callbacks([&](Result r) { result = std::move(r); });
    api.invoke(backend.instance, "once", nullptr, &callbacks);
    EXPECT_TRUE(result.ok());
    EXPECT_EQ(backend.plugin().last_request, nlohmann::json::object());
}

TEST(SdkBoundary, DefinitionsAreComputedOnceAndKeepTheirStorageUntilDestroy) {
    FakeHost host;
    Created<DefinitionsService> service(host);
    const auto& api = service.table<envmgr_service_api>();
    const char* first = api.definitions(service.instance);
    ASSERT_NE(first, nullptr);
    const std::string copy = first;
    const char* second = api.definitions(service.instance);
    EXPECT_EQ(first, second);
    EXPECT_EQ(std::string(first), copy);  // the earlier pointer still reads the same document
    EXPECT_EQ(service.plugin().calls, 1);
    EXPECT_EQ(service.descriptor.last_error(service.instance), nullptr);
}

TEST(SdkBoundary, AFailedSynchronousCallSaysWhyThroughLastError) {
    FakeHost host;
    Created<DefinitionsService> service(host, R"({"fail": true})");
    EXPECT_EQ(service.table<envmgr_service_api>().definitions(service.instance), nullptr);
    const char* why = service.descriptor.last_error(service.instance);
    ASSERT_NE(why, nullptr);
    EXPECT_STREQ(why, "the definitions file is missing");
}

TEST(SdkHostView, AnAbi10HostTableAnswersUnsupportedForWhatItLacks) {
    FakeHost fake;
    envmgr_host_api older = *fake.api();
    older.struct_size = offsetof(envmgr_host_api, subscribe_with);  // a 1.0 host's table
    const Host host(&older);
    EXPECT_EQ(host.render_metrics().status, ENVMGR_STATUS_UNSUPPORTED);
    // Subscribing falls back to the 1.0 function, which takes default options.
    auto subscription = host.subscribe(Host::SubscribeOptions{"health", 8, true}, [](auto, auto) {});
    EXPECT_NE(subscription.id(), 0U);
    EXPECT_EQ(fake.subscription_count(), 1U);
}

TEST(FakeHostForPluginAuthors, RecordsCallsAndLetsTheTestAnswerThem) {
    FakeHost fake;
    const Host host = fake.host();
    Result result;
    std::vector<std::string> items;
    const auto id = host.backend_invoke(
        "container.exec", R"({"id":"redis"})", [&](Result r) { result = std::move(r); },
        [&](std::string_view item) { items.emplace_back(item); });
    ASSERT_NE(id, 0U);
    const auto calls = fake.backend_calls();
    ASSERT_EQ(calls.size(), 1U);
    EXPECT_EQ(calls[0].operation, "container.exec");
    EXPECT_EQ(calls[0].request_json, R"({"id":"redis"})");
    EXPECT_TRUE(fake.item(id, R"({"line":1})"));
    EXPECT_TRUE(fake.complete(id, ENVMGR_STATUS_OK, R"({"exit_code":0})"));
    EXPECT_FALSE(fake.complete(id, ENVMGR_STATUS_OK));
    EXPECT_EQ(items, std::vector<std::string>{R"({"line":1})"});
    EXPECT_EQ(result.payload, R"({"exit_code":0})");

    int ran = 0;
    host.post([&] { ++ran; });
    EXPECT_EQ(ran, 0);
    EXPECT_EQ(fake.run_posted(), 1U);
    EXPECT_EQ(ran, 1);

    std::vector<std::string> events;
    auto subscription = host.subscribe(
        "health", [&](std::string_view topic, std::string_view) { events.emplace_back(topic); });
    EXPECT_EQ(fake.publish("health", "{}"), 1U);
    EXPECT_EQ(fake.publish("status", "{}"), 0U);
    subscription.reset();
    EXPECT_EQ(fake.subscription_count(), 0U);
    EXPECT_EQ(events, std::vector<std::string>{"health"});

    fake.answer_manager(
        [](FakeHost& f, const FakeHost::Call& call) { f.complete(call.id, ENVMGR_STATUS_NOT_FOUND, "no"); });
    Result managed;
    EXPECT_EQ(host.manager_invoke("services.start", "{}", [&](Result r) { managed = std::move(r); }), 0U);
    EXPECT_EQ(managed.status, ENVMGR_STATUS_NOT_FOUND);
    host.info("hello");
    ASSERT_EQ(fake.logs().size(), 1U);
    EXPECT_EQ(fake.logs()[0].message, "hello");
}

}  // namespace
}  // namespace envmgr::sdk
