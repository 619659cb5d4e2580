// The host API table as a plugin meets it: every function answers, none throws, bad callbacks
// are refused at once, and what a plugin starts is tracked.
#include "host/events/event_bus.h"
#include "host/loader/host_context.h"
#include "host/metrics/metrics_registry.h"

#include <envmgr/sdk/async_call.h>

#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <spdlog/sinks/ostream_sink.h>
#include <algorithm>

#include <sstream>

namespace envmgr::host::loader {
namespace {

class HostApiTest : public ::testing::Test {
protected:
    HostApiTest()
        : logger_(std::make_shared<spdlog::logger>("test",
                                                   std::make_shared<spdlog::sinks::ostream_sink_mt>(log_))) {
        services_.metrics = &metrics_;
    }

    std::unique_ptr<envmgr_host_context> context() {
        return make_host_context("probe.test", logger_, services_);
    }

    std::ostringstream log_;
    std::shared_ptr<spdlog::logger> logger_;
    metrics::MetricsRegistry metrics_;
    HostServices services_;
};

TEST_F(HostApiTest, PostWithoutAnExecutorIsReportedNotThrown) {
    // The --list-plugins / --check-config path: plugins are created with no executor.
    auto ctx = context();
    bool ran = false;
    ctx->api.post(
        ctx.get(), [](void* ran_flag) { *static_cast<bool*>(ran_flag) = true; }, &ran);
    EXPECT_FALSE(ran);
    EXPECT_NE(log_.str().find("this host runs no executor"), std::string::npos) << log_.str();
}

TEST_F(HostApiTest, CallbacksThatCannotCompleteAreRefusedAtOnce) {
    auto ctx = context();
    EXPECT_EQ(ctx->api.backend_invoke(ctx.get(), "system.ping", "{}", nullptr), 0U);
    EXPECT_EQ(ctx->api.manager_invoke(ctx.get(), "status.snapshot", "{}", nullptr), 0U);

    int completions = 0;
    auto counting = [](void* user, envmgr_status, const char*) { ++*static_cast<int*>(user); };
    envmgr_callbacks too_short{};
    too_short.struct_size = sizeof(std::uint32_t) + sizeof(void*);  // ends before on_complete
    too_short.user_data = &completions;
    too_short.on_complete = counting;
    EXPECT_EQ(ctx->api.backend_invoke(ctx.get(), "system.ping", "{}", &too_short), 0U);

    envmgr_callbacks no_completion{};
    no_completion.struct_size = sizeof no_completion;
    EXPECT_EQ(ctx->api.backend_invoke(ctx.get(), "system.ping", "{}", &no_completion), 0U);
    EXPECT_EQ(completions, 0);
    EXPECT_NE(
        log_.str().find("backend_invoke: refused: callbacks are NULL, too short, or have no on_complete"),
        std::string::npos)
        << log_.str();
}

TEST_F(HostApiTest, ANullRequestIsAnEmptyObject) {
    std::string seen;
    services_.manager = [&](const std::string&, const std::string& request,
                            const envmgr_callbacks& callbacks) {
        seen = request;
        callbacks.on_complete(callbacks.user_data, ENVMGR_STATUS_OK, nullptr);
        return envmgr_operation_id{0};
    };
    auto ctx = context();
    sdk::Result result;
    const auto callbacks = sdk::make_callbacks([&](sdk::Result r) { result = std::move(r); });
    ctx->api.manager_invoke(ctx.get(), "status.snapshot", nullptr, &callbacks);
    EXPECT_TRUE(result.ok());
    EXPECT_EQ(seen, "{}");
}

TEST_F(HostApiTest, AnUnknownLogLevelLogsAsAnError) {
    auto ctx = context();
    ctx->api.log(ctx.get(), 77, "odd level");
    EXPECT_NE(log_.str().find("[error] odd level"), std::string::npos) << log_.str();
}

TEST_F(HostApiTest, MetricsRenderAsPrometheusTextOrTheSameAsJson) {
    auto ctx = context();
    envmgr_metric_sample sample{};
    sample.struct_size = sizeof sample;
    sample.kind = ENVMGR_METRIC_KIND_COUNTER_ADD;
    sample.name = "fixture_things_total";
    sample.help = "things";
    sample.value = 3;
    ASSERT_EQ(ctx->api.record_metric(ctx.get(), &sample), ENVMGR_STATUS_OK);
    std::string text;
    const auto append = [](void* user, const char* data, size_t length) {
        static_cast<std::string*>(user)->append(data, length);
    };
    EXPECT_EQ(ctx->api.render_metrics(ctx.get(), "prometheus", append, &text), ENVMGR_STATUS_OK);
    EXPECT_NE(text.find("fixture_things_total 3"), std::string::npos) << text;
    std::string json;
    EXPECT_EQ(ctx->api.render_metrics(ctx.get(), "json", append, &json), ENVMGR_STATUS_OK);
    const auto families = nlohmann::json::parse(json);
    const auto found = std::find_if(families.begin(), families.end(), [](const auto& family) {
        return family["name"] == "fixture_things_total";
    });
    ASSERT_NE(found, families.end()) << json;
    EXPECT_EQ((*found)["type"], "counter");
    EXPECT_EQ((*found)["help"], "things");
    EXPECT_EQ((*found)["metrics"][0]["value"], 3.0);
    EXPECT_EQ(ctx->api.render_metrics(ctx.get(), "xml", append, &text), ENVMGR_STATUS_INVALID);
    EXPECT_EQ(ctx->api.render_metrics(ctx.get(), "prometheus", nullptr, &text), ENVMGR_STATUS_INVALID);
}

TEST_F(HostApiTest, SubscriptionsDeliverOnTheExecutorAndEndWithTheContext) {
    boost::asio::io_context io;
    events::EventBus bus(io.get_executor());
    services_.executor = io.get_executor();
    services_.event_bus = &bus;
    auto ctx = context();
    std::vector<std::string> seen;
    const auto on_event = [](void* user, const char* topic, const char* json) {
        static_cast<std::vector<std::string>*>(user)->push_back(std::string(topic) + " " + json);
    };
    const auto id = ctx->api.subscribe(ctx.get(), "health", on_event, &seen);
    ASSERT_NE(id, 0U);
    bus.publish("health", R"({"service":"redis"})");
    bus.publish("status", R"({"service":"redis"})");
    EXPECT_TRUE(seen.empty()) << "delivered inside publish";
    io.run();
    io.restart();
    EXPECT_EQ(seen, std::vector<std::string>{R"(health {"service":"redis"})"});

    // Another plugin cannot end this subscription with its id.
    auto other = context();
    other->api.unsubscribe(other.get(), id);
    EXPECT_EQ(bus.subscription_count(), 1U);

    shut_host_context(*ctx, std::chrono::milliseconds(100));
    EXPECT_EQ(bus.subscription_count(), 0U);
}

}  // namespace
}  // namespace envmgr::host::loader
