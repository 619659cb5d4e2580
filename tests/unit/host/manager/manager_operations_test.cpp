#include "host/manager/manager_operations.h"
#include "tests/support/fake_backend_client.h"

#include <envmgr/sdk/async_call.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <future>
#include <thread>

namespace envmgr::host::manager {
namespace {

using ::testing::HasSubstr;

class NoProbes : public health::ProbeRunner {
public:
    std::uint64_t check(const sdk::ProbeSpec& /*spec*/, Done done) override {
        done(health::CheckOutcome{});
        return 0;
    }
    void cancel(std::uint64_t /*id*/) override {}
    [[nodiscard]] bool has_type(const std::string& /*type*/) const override { return false; }
};

struct Answer {
    sdk::Result result;
    std::vector<nlohmann::json> items;
};

class ManagerOperationsTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
        registry::RegistryInputs inputs;
        sdk::ServiceDefinition web;
        web.name = "web";
        web.image = "img/web:1";
        inputs.plugin_definitions = {{"test", web}};
        registry_ = registry::build_registry(config::Config{}, inputs);
        backend_.add_image("img/web:1");
        supervisor_ = std::make_unique<health::HealthSupervisor>(
            io_.get_executor(), runner_, health::SupervisorSettings{}, nullptr, logger_);
        engine_ =
            std::make_unique<scheduler::LifecycleEngine>(io_.get_executor(), backend_, *supervisor_, nullptr,
                                                         registry_, scheduler::EngineSettings{}, logger_);
        tasks::TaskSettings task_settings;
        task_settings.capacity = {{"cpu_short", 2}, {"cpu_long", 1}, {"gpu", 0}};
        task_settings.nvidia_smi = "/nonexistent/nvidia-smi";
        tasks_ = std::make_unique<tasks::TaskRunner>(*engine_, backend_, task_settings);
        stats_ = std::make_shared<stats::StatsCache>(io_.get_executor(), *engine_, backend_, kStatsInterval);
        operations_ = std::make_unique<ManagerOperations>(*engine_, *tasks_, stats_.get());
    }
    void TearDown() override {
        stats_->stop();
        operations_.reset();
        tasks_.reset();
        engine_.reset();
        supervisor_->stop();
        work_.reset();
        for (auto& thread : threads_) thread.join();
    }

    Answer call(const std::string& operation, const std::string& request) {
        auto answer = std::make_shared<Answer>();
        auto done = std::make_shared<std::promise<void>>();
        const auto callbacks = sdk::make_callbacks(
            [answer, done](const sdk::Result& result) {
                answer->result = result;
                done->set_value();
            },
            [answer](std::string_view item) { answer->items.push_back(nlohmann::json::parse(item)); });
        operations_->invoke(operation, request, callbacks);
        done->get_future().wait();
        return *answer;
    }

    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
    std::vector<std::thread> threads_;
    std::shared_ptr<spdlog::logger> logger_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    tests::FakeBackendClient backend_{io_.get_executor()};
    NoProbes runner_;
    registry::Registry registry_;
    std::unique_ptr<health::HealthSupervisor> supervisor_;
    std::unique_ptr<scheduler::LifecycleEngine> engine_;
    std::unique_ptr<tasks::TaskRunner> tasks_;
    static constexpr std::chrono::milliseconds kStatsInterval{20};
    std::shared_ptr<stats::StatsCache> stats_;  // started by the tests that want it
    std::unique_ptr<ManagerOperations> operations_;
};

TEST_F(ManagerOperationsTest, StartStreamsStateChangesThenTheResultAndTheSnapshotFollows) {
    const auto started = call("services.start", R"({"services": ["web"]})");
    ASSERT_TRUE(started.result.ok()) << started.result.payload;
    const auto result = nlohmann::json::parse(started.result.payload);
    EXPECT_TRUE(result["ok"].get<bool>());
    EXPECT_EQ(result["services"][0]["state"], "healthy");
    ASSERT_FALSE(started.items.empty());
    EXPECT_EQ(started.items.back()["state"], "healthy");
    EXPECT_EQ(started.items.back()["percent"], 100);
    const auto snapshot = call("status.snapshot", "{}");
    ASSERT_TRUE(snapshot.result.ok());
    EXPECT_EQ(nlohmann::json::parse(snapshot.result.payload)["services"][0]["state"], "healthy");
    const auto stopped = call("services.stop", R"({"services": ["web"], "timeout_seconds": 1})");
    ASSERT_TRUE(stopped.result.ok()) << stopped.result.payload;
}

// The snapshot is kept between calls while nothing moved (status_documents.h): a call right after
// a state change must still see the change, every time.
TEST_F(ManagerOperationsTest, AKeptStatusIsNeverOlderThanTheLastStateChange) {
    const auto state_of_web = [this] {
        const auto snapshot = call("status.snapshot", "{}");
        EXPECT_TRUE(snapshot.result.ok()) << snapshot.result.payload;
        return nlohmann::json::parse(snapshot.result.payload)["services"][0]["state"].get<std::string>();
    };
    for (int round = 0; round < 20; ++round) {
        EXPECT_EQ(state_of_web(), "stopped");
        EXPECT_EQ(state_of_web(), "stopped");  // the kept document, when the second did not turn
        ASSERT_TRUE(call("services.start", R"({"services": ["web"]})").result.ok());
        EXPECT_EQ(state_of_web(), "healthy") << "round " << round;
        EXPECT_EQ(state_of_web(), "healthy");
        ASSERT_TRUE(call("services.stop", R"({"services": ["web"], "timeout_seconds": 1})").result.ok());
    }
    EXPECT_EQ(state_of_web(), "stopped");
}

TEST_F(ManagerOperationsTest, BadRequestsNameTheFieldAndUnknownOperationsAreUnsupported) {
    const auto wrong_type = call("services.start", R"({"services": "web"})");
    EXPECT_EQ(wrong_type.result.status, ENVMGR_STATUS_INVALID);
    EXPECT_THAT(wrong_type.result.payload, HasSubstr("services"));
    const auto negative = call("services.stop", R"({"timeout_seconds": -1})");
    EXPECT_EQ(negative.result.status, ENVMGR_STATUS_INVALID);
    EXPECT_THAT(negative.result.payload, HasSubstr("timeout_seconds"));
    const auto unknown = call("services.start", R"({"services": ["nope"]})");
    EXPECT_EQ(unknown.result.status, ENVMGR_STATUS_NOT_FOUND);
    EXPECT_THAT(unknown.result.payload, HasSubstr("no service 'nope'"));
    const auto tenant = call("services.start", R"({"tenant": "blue"})");
    EXPECT_EQ(tenant.result.status, ENVMGR_STATUS_NOT_FOUND);
    EXPECT_EQ(call("status.snapshot", R"({"tenant": "blue"})").result.status, ENVMGR_STATUS_NOT_FOUND);
    EXPECT_EQ(call("images.prune", "{}").result.status, ENVMGR_STATUS_UNSUPPORTED);
    const auto no_service = call("services.logs", "{}");
    EXPECT_EQ(no_service.result.status, ENVMGR_STATUS_INVALID);
    EXPECT_THAT(no_service.result.payload, HasSubstr("service: required"));
    EXPECT_EQ(call("services.logs", R"({"service": "web", "tail": -1})").result.status,
              ENVMGR_STATUS_INVALID);
    EXPECT_EQ(call("services.logs", R"({"service": "nope"})").result.status, ENVMGR_STATUS_NOT_FOUND);
    EXPECT_EQ(call("services.restart", R"({"services": []})").result.status, ENVMGR_STATUS_INVALID);
    EXPECT_EQ(call("services.start", "[1]").result.status, ENVMGR_STATUS_INVALID);
}

TEST_F(ManagerOperationsTest, ResourceUsageComesFromTheBackgroundPollsNotFromEachRead) {
    ASSERT_TRUE(call("services.start", "{}").result.ok());
    const auto started = std::chrono::steady_clock::now();
    stats_->start();
    nlohmann::json usage;
    int reads = 0;
    for (; reads < 2000 && (usage.is_null() || reads < 200); ++reads) {
        const auto snapshot = nlohmann::json::parse(call("status.snapshot", "{}").result.payload);
        usage = snapshot["services"][0].value("resource_usage", nlohmann::json());
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(usage.is_object()) << "no figures after " << reads << " reads";
    EXPECT_EQ(usage["memory_bytes"], 1024);
    EXPECT_DOUBLE_EQ(usage["cpu_percent"].get<double>(), 1.5);
    // One poll per running container per interval at most, however many reads there were.
    EXPECT_LE(stats_->polls(), static_cast<std::uint64_t>(elapsed / kStatsInterval) + 1) << reads << " reads";
    EXPECT_GE(reads, 200);
}

}  // namespace
TEST_F(ManagerOperationsTest, TasksAreRefusedNamingTheBadField) {
    const auto bad_class = call(
        "tasks.execute", R"({"workload_class": "huge", "payload": {"service": "web", "command": "true"}})");
    EXPECT_EQ(bad_class.result.status, ENVMGR_STATUS_INVALID);
    EXPECT_NE(bad_class.result.payload.find("workload_class"), std::string::npos) << bad_class.result.payload;
    const auto bad_command =
        call("tasks.execute", R"({"payload": {"service": "web", "command": "echo 'open"}})");
    EXPECT_EQ(bad_command.result.status, ENVMGR_STATUS_INVALID);
    EXPECT_NE(bad_command.result.payload.find("payload.command"), std::string::npos)
        << bad_command.result.payload;
    const auto unknown = call("tasks.execute", R"({"payload": {"service": "nope", "command": "true"}})");
    EXPECT_EQ(unknown.result.status, ENVMGR_STATUS_NOT_FOUND);
    const auto not_started = call("tasks.execute", R"({"payload": {"service": "web", "command": "true"}})");
    EXPECT_EQ(not_started.result.status, ENVMGR_STATUS_CONFLICT) << not_started.result.payload;
    const auto negative = call("tasks.execute", R"({"timeout_seconds": -1, "payload": {"service": "web"}})");
    EXPECT_EQ(negative.result.status, ENVMGR_STATUS_INVALID);
}

TEST_F(ManagerOperationsTest, ResourcesReportTheConfiguredCapacityAndNoInventedGpu) {
    const auto answer = call("resources.get", R"({"workload_class": "cpu_long"})");
    ASSERT_TRUE(answer.result.ok()) << answer.result.payload;
    const auto document = nlohmann::json::parse(answer.result.payload);
    EXPECT_EQ(document["capacity"], 1);
    EXPECT_EQ(document["in_use"], 0);
    EXPECT_TRUE(document["available"].get<bool>());
    EXPECT_GT(document["cpu_cores"].get<int>(), 0);
    EXPECT_TRUE(document["gpus"].empty());
    EXPECT_NE(document["gpu_note"].get<std::string>().find("not found"), std::string::npos);
    EXPECT_EQ(call("resources.get", R"({"workload_class": "x"})").result.status, ENVMGR_STATUS_INVALID);
}

TEST_F(ManagerOperationsTest, APullOfNothingNamedTakesTheTenantsImages) {
    const auto empty_name = call("images.pull", R"({"images": [""]})");
    EXPECT_EQ(empty_name.result.status, ENVMGR_STATUS_INVALID);
    EXPECT_NE(empty_name.result.payload.find("images[0]"), std::string::npos);
    const auto all = call("images.pull", "{}");
    ASSERT_TRUE(all.result.ok()) << all.result.payload;
    const auto document = nlohmann::json::parse(all.result.payload);
    ASSERT_EQ(document["images"].size(), 1U);
    EXPECT_EQ(document["images"][0]["image"], "img/web:1");
    ASSERT_FALSE(all.items.empty());
    EXPECT_EQ(all.items.back()["status"], "complete");
}

}  // namespace envmgr::host::manager
