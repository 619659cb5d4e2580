// The lifecycle engine's scheduling against the in-memory engine (fast, faults injected at
// chosen steps); tests/integration/host/scheduler proves it against the real engine.
#include "host/scheduler/lifecycle_engine.h"
#include "host/scheduler/port_holders.h"
#include "tests/support/fake_backend_client.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>

namespace envmgr::host::scheduler {
namespace {

using ::testing::HasSubstr;

// Answers nothing: the services here have no readiness probe (ready once running).
class NoProbes : public health::ProbeRunner {
public:
    std::uint64_t check(const sdk::ProbeSpec& /*spec*/, Done done) override {
        health::CheckOutcome outcome;
        outcome.status = ENVMGR_STATUS_UNSUPPORTED;
        outcome.error = "no probes here";
        done(std::move(outcome));
        return 0;
    }
    void cancel(std::uint64_t /*id*/) override {}
    [[nodiscard]] bool has_type(const std::string& /*type*/) const override { return false; }
};

sdk::ServiceDefinition service(const std::string& name, std::vector<std::string> needs = {},
                               bool optional = false) {
    sdk::ServiceDefinition definition;
    definition.name = name;
    definition.image = "img/" + name + ":1";
    for (auto& need : needs) definition.depends_on.push_back({std::move(need), "healthy"});
    definition.optional = optional;
    return definition;
}

class LifecycleEngineTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
        // chain: a <- b <- c (the critical path); d alone; e needs a (slack).
        registry::RegistryInputs inputs;
        for (auto definition : {service("a"), service("b", {"a"}), service("c", {"b"}), service("d"),
                                service("e", {"a"}, true)}) {
            inputs.plugin_definitions.push_back({"test", std::move(definition)});
        }
        registry_ = registry::build_registry(config::Config{}, inputs);
        ASSERT_TRUE(registry_.ok());
        for (const char* name : {"a", "b", "c", "d", "e"}) {
            backend_.add_image(std::string("img/") + name + ":1");
        }
        supervisor_ = std::make_unique<health::HealthSupervisor>(io_.get_executor(), runner_,
                                                                 supervisor_settings(), nullptr, logger_);
    }
    // Services without a probe are ready after a short run here, not the daemon's 500 ms.
    static health::SupervisorSettings supervisor_settings() {
        health::SupervisorSettings settings;
        settings.no_probe_ready_after = std::chrono::milliseconds(5);
        return settings;
    }
    void TearDown() override {
        engine_.reset();
        supervisor_->stop();
        work_.reset();
        for (auto& thread : threads_) thread.join();
    }

    LifecycleEngine& engine(EngineSettings settings = {}) {
        engine_ = std::make_unique<LifecycleEngine>(io_.get_executor(), backend_, *supervisor_, nullptr,
                                                    registry_, settings, logger_);
        return *engine_;
    }
    RunResult start(StartRequest request) {
        std::promise<RunResult> done;
        engine_->start(std::move(request), nullptr,
                       [&](RunResult result) { done.set_value(std::move(result)); });
        return done.get_future().get();
    }
    RunResult stop(StopRequest request) {
        std::promise<RunResult> done;
        engine_->stop(std::move(request), [&](RunResult result) { done.set_value(std::move(result)); });
        return done.get_future().get();
    }
    static std::map<std::string, ServiceOutcome> by_service(const RunResult& result) {
        std::map<std::string, ServiceOutcome> map;
        for (const auto& outcome : result.services) map[outcome.service] = outcome;
        return map;
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
    std::unique_ptr<LifecycleEngine> engine_;
};

TEST_F(LifecycleEngineTest, TheCriticalPathStartsFirstAndDependentsAfterTheirDependencies) {
    EngineSettings settings;
    settings.max_concurrent_starts = 1;
    engine(settings);
    const auto result = start({"default", {}, true});
    ASSERT_EQ(result.status, ENVMGR_STATUS_OK) << result.message;
    const auto started = backend_.started();
    ASSERT_EQ(started.size(), 5U);
    EXPECT_EQ(started.front(), "a");  // the longest remaining path (a -> b -> c) goes first
    const auto position = [&](const std::string& name) {
        return std::find(started.begin(), started.end(), name) - started.begin();
    };
    EXPECT_LT(position("a"), position("b"));
    EXPECT_LT(position("b"), position("c"));
    EXPECT_LT(position("a"), position("e"));
    EXPECT_LT(position("b"), position("e"));  // b (on the critical path) before e (slack)
}

TEST_F(LifecycleEngineTest, ASelectionPullsInItsDependenciesOnly) {
    engine();
    const auto result = start({"default", {"b"}, true});
    ASSERT_EQ(result.status, ENVMGR_STATUS_OK) << result.message;
    EXPECT_EQ(backend_.started(), (std::vector<std::string>{"a", "b"}));
}

TEST_F(LifecycleEngineTest, StartingTwiceStartsNothingTheSecondTime) {
    engine();
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    const auto calls = backend_.operations().size();
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    const auto operations = backend_.operations();
    for (auto i = calls; i < operations.size(); ++i) {
        EXPECT_THAT(operations[i], ::testing::Not(HasSubstr("container.start"))) << operations[i];
        EXPECT_THAT(operations[i], ::testing::Not(HasSubstr("container.create"))) << operations[i];
    }
    EXPECT_EQ(backend_.started().size(), 5U);
}

TEST_F(LifecycleEngineTest, AFailedRequiredServiceFailsTheStartAndItsDependentsAreNotStarted) {
    backend_.fail("container.start", "b", ENVMGR_STATUS_CONFLICT, "port is already allocated");
    engine();
    const auto result = start({"default", {}, true});
    EXPECT_EQ(result.status, ENVMGR_STATUS_CONFLICT);
    EXPECT_THAT(result.message, HasSubstr("service 'b' failed: cannot start: port is already allocated"));
    auto outcomes = by_service(result);
    EXPECT_EQ(outcomes["c"].state, ServiceState::failed);
    EXPECT_THAT(outcomes["c"].message, HasSubstr("not started: its dependency 'b' failed"));
    EXPECT_EQ(outcomes["d"].state, ServiceState::healthy);
    const auto started = backend_.started();
    EXPECT_EQ(std::count(started.begin(), started.end(), "c"), 0);
}

// A snapshot keeps each status until its instance changes: after a start of one service, only
// its status is a new one, and it says the new state (never the kept, stale one).
TEST_F(LifecycleEngineTest, ASnapshotKeepsTheStatusesThatDidNotChangeAndBuildsTheChangedOnesAnew) {
    engine();
    const auto take = [this] {
        std::promise<SharedStatuses> taken;
        engine_->shared_snapshot("default",
                                 [&](SharedStatuses statuses) { taken.set_value(std::move(statuses)); });
        std::map<std::string, std::shared_ptr<const sdk::ServiceStatus>> by_name;
        for (auto& status : taken.get_future().get().services) by_name[status->name] = status;
        return by_name;
    };
    const auto before = take();
    ASSERT_EQ(before.size(), 5U);
    EXPECT_EQ(take(), before);  // nothing changed: the very same statuses
    ASSERT_EQ(start({"default", {"d"}, true}).status, ENVMGR_STATUS_OK);
    const auto after = take();
    EXPECT_NE(after.at("d"), before.at("d"));
    EXPECT_EQ(after.at("d")->state, "healthy");
    EXPECT_NE(after.at("d")->container_id, "");
    for (const char* same : {"a", "b", "c", "e"}) EXPECT_EQ(after.at(same), before.at(same)) << same;
    std::promise<sdk::StatusSnapshot> copied;
    engine_->snapshot("default",
                      [&](sdk::StatusSnapshot snapshot) { copied.set_value(std::move(snapshot)); });
    const auto snapshot = copied.get_future().get();
    ASSERT_EQ(snapshot.services.size(), 5U);
    for (const auto& status : snapshot.services) EXPECT_EQ(status.state, after.at(status.name)->state);
}

TEST_F(LifecycleEngineTest, APortTheEngineStillBooksForNoContainerIsTriedAgainAndTheStartGoesOn) {
    // As after an engine restart in the middle of a start: the engine frees the port a moment later.
    backend_.fail("container.start", "b", ENVMGR_STATUS_INTERNAL,
                  "Bind for 127.0.0.1:8080 failed: port is already allocated", 2);
    engine();
    const auto result = start({"default", {}, true});
    EXPECT_EQ(result.status, ENVMGR_STATUS_OK) << result.message;
    const auto operations = backend_.operations();
    EXPECT_EQ(std::count(operations.begin(), operations.end(), "container.start b"), 3);
}

TEST_F(LifecycleEngineTest, ContainersAreCreatedAheadAndOnesNeverStartedAreRemovedBeforeTheResult) {
    backend_.fail("container.start", "b", ENVMGR_STATUS_CONFLICT, "port is already allocated");
    engine();
    const auto result = start({"default", {}, true});
    EXPECT_EQ(result.status, ENVMGR_STATUS_CONFLICT);
    const auto operations = backend_.operations();
    const auto at = [&](const std::string& call) {
        return std::find(operations.begin(), operations.end(), call) - operations.begin();
    };
    // c waits for b, yet its container was made before b's start was even tried.
    EXPECT_LT(at("container.create c"), at("container.start b"));
    EXPECT_LT(at("container.start b"), at("container.remove c"));
    ASSERT_LT(at("container.remove c"), static_cast<std::ptrdiff_t>(operations.size()));
    // a, b (created, its start refused), d and e are left; c, never started, is not.
    EXPECT_EQ(backend_.container_count(), 4U);
    EXPECT_EQ(by_service(result)["c"].container_id, "");
}

TEST_F(LifecycleEngineTest, WithoutCreatingAheadEachContainerIsCreatedAtItsLaunch) {
    EngineSettings settings;
    settings.precreate_containers = false;
    engine(settings);
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    const auto operations = backend_.operations();
    const auto at = [&](const std::string& call) {
        return std::find(operations.begin(), operations.end(), call) - operations.begin();
    };
    EXPECT_LT(at("container.start b"), at("container.create c"));
}

TEST_F(LifecycleEngineTest, AnOptionalServicesFailureIsReportedWithoutFailingTheStart) {
    backend_.fail("container.create", "e", ENVMGR_STATUS_INTERNAL, "disk full");
    engine();
    const auto result = start({"default", {}, true});
    ASSERT_EQ(result.status, ENVMGR_STATUS_OK) << result.message;
    EXPECT_EQ(by_service(result)["e"].state, ServiceState::failed);
}

TEST_F(LifecycleEngineTest, AMissingImageIsPulledAndAFailedPullFailsOnlyItsServices) {
    registry::RegistryInputs inputs;
    auto pulled = service("pulled");
    pulled.image = "new/pulled:1";
    auto missing = service("missing", {}, false);
    missing.image = "gone/missing:1";
    inputs.plugin_definitions = {{"t", pulled}, {"t", missing}, {"t", service("a")}};
    registry_ = registry::build_registry(config::Config{}, inputs);
    backend_.fail("image.pull", "gone/missing:1", ENVMGR_STATUS_NOT_FOUND, "manifest unknown");
    engine();
    const auto result = start({"default", {}, true});
    EXPECT_EQ(result.status, ENVMGR_STATUS_NOT_FOUND);
    auto outcomes = by_service(result);
    EXPECT_THAT(outcomes["missing"].message, HasSubstr("pull of gone/missing:1 failed: manifest unknown"));
    EXPECT_EQ(outcomes["a"].state, ServiceState::healthy);
    EXPECT_EQ(outcomes["pulled"].state, ServiceState::healthy);  // pulled, then started
}

class ChangedDefinition : public LifecycleEngineTest {
protected:
    // The same services, d from another image.
    void change_d(const std::string& image) {
        registry::RegistryInputs inputs;
        auto d = service("d");
        d.image = image;
        for (auto definition :
             {service("a"), service("b", {"a"}), service("c", {"b"}), d, service("e", {"a"}, true)}) {
            inputs.plugin_definitions.push_back({"test", std::move(definition)});
        }
        backend_.add_image(image);
        engine_->replace_registry(
            std::make_shared<const registry::Registry>(registry::build_registry(config::Config{}, inputs)));
    }
    // Starts the stack, changes d's image and starts it again: both results, each checked.
    std::pair<RunResult, RunResult> start_change_and_start_again() {
        engine();
        auto first = start({"default", {}, true});
        EXPECT_EQ(first.status, ENVMGR_STATUS_OK) << first.message;
        change_d("img/d:2");
        auto second = start({"default", {}, true});
        EXPECT_EQ(second.status, ENVMGR_STATUS_OK) << second.message;
        return {std::move(first), std::move(second)};
    }
    long count(const std::string& call) {
        const auto operations = backend_.operations();
        return std::count(operations.begin(), operations.end(), call);
    }
};

TEST_F(ChangedDefinition, IsPutInPlaceByABackendThatCanAndTheContainerStays) {
    backend_.update_in_place();
    const auto [first, second] = start_change_and_start_again();
    EXPECT_EQ(by_service(second)["d"].state, ServiceState::healthy);
    EXPECT_EQ(by_service(second)["d"].container_id, by_service(first)["d"].container_id);
    EXPECT_EQ(count("container.update d"), 1);
    EXPECT_EQ(count("container.remove d"), 0);
    EXPECT_EQ(count("container.update a"), 0);                         // unchanged: adopted as it runs
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);  // the container has the new hash now
    EXPECT_EQ(count("container.update d"), 1);
}

TEST_F(ChangedDefinition, IsANewContainerWhereTheBackendCannot) {
    const auto [first, second] = start_change_and_start_again();
    EXPECT_NE(by_service(second)["d"].container_id, by_service(first)["d"].container_id);
    EXPECT_EQ(count("container.update d"), 1);  // answered UNSUPPORTED
    EXPECT_EQ(count("container.remove d"), 1);
    EXPECT_EQ(count("container.create d"), 2);
    change_d("img/d:3");
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    EXPECT_EQ(count("container.update d"), 2);  // answered UNSUPPORTED again, at no cost
    EXPECT_EQ(count("container.create d"), 3);
}

TEST_F(LifecycleEngineTest, StopTakesDependentsAlongAndUnknownNamesAreRefused) {
    engine();
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    const auto stopped = stop({"default", {"b"}, 0, true});
    ASSERT_EQ(stopped.status, ENVMGR_STATUS_OK) << stopped.message;
    auto outcomes = by_service(stopped);
    EXPECT_EQ(outcomes.size(), 2U);  // b and c, which needs it
    EXPECT_TRUE(outcomes.contains("c"));
    const auto operations = backend_.operations();
    const auto at = [&](const std::string& call) {
        return std::find(operations.begin(), operations.end(), call) - operations.begin();
    };
    EXPECT_LT(at("container.stop c"), at("container.stop b"));
    EXPECT_EQ(backend_.container_count(), 3U);
    const auto refused = stop({"default", {"nope"}, 0, true});
    EXPECT_EQ(refused.status, ENVMGR_STATUS_NOT_FOUND);
    EXPECT_THAT(refused.message, HasSubstr("no service 'nope'"));
    EXPECT_EQ(start({"blue", {}, true}).status, ENVMGR_STATUS_NOT_FOUND);
}

}  // namespace
}  // namespace envmgr::host::scheduler

namespace envmgr::host::scheduler {
namespace {

TEST(PortHolders, AnotherRunningContainerPublishingThePortIsNamed) {
    sdk::ServiceDefinition wants;
    wants.ports.push_back({80, 8080, "127.0.0.1", "tcp"});
    wants.ports.push_back({81, 8081, "127.0.0.1", "tcp"});
    const auto containers = nlohmann::json::parse(R"([
      {"id": "self", "name": "me", "state": "created", "labels": {},
       "ports": [{"host_port": 8080, "host_ip": "0.0.0.0", "protocol": "tcp"}]},
      {"id": "h1", "name": "blue-web", "state": "running",
       "labels": {"env-manager.tenant": "blue", "env-manager.service": "web"},
       "ports": [{"container_port": 80, "host_port": 8080, "host_ip": "0.0.0.0", "protocol": "tcp"}]},
      {"id": "h2", "name": "udp-only", "state": "running", "labels": {},
       "ports": [{"host_port": 8081, "host_ip": "127.0.0.1", "protocol": "udp"}]},
      {"id": "h3", "name": "other-address", "state": "running", "labels": {},
       "ports": [{"host_port": 8081, "host_ip": "127.0.0.2", "protocol": "tcp"}]},
      {"id": "h4", "name": "stopped", "state": "exited", "labels": {},
       "ports": [{"host_port": 8081, "host_ip": "127.0.0.1", "protocol": "tcp"}]}])")
                                .get<std::vector<sdk::ContainerDocument>>();
    EXPECT_EQ(port_holders_text(containers, "self", wants),
              "; host port 8080 is held by env-manager's container blue-web (tenant blue, service web)");
    EXPECT_EQ(port_holders_text({}, "self", wants), "");
    EXPECT_TRUE(is_port_taken("Bind for 0.0.0.0:8080 failed: port is already allocated"));
    EXPECT_TRUE(is_port_taken("listen tcp4 127.0.0.1:8080: bind: address already in use"));
    EXPECT_FALSE(is_port_taken("No such image"));
    EXPECT_TRUE(is_port_booked("Bind for 0.0.0.0:8080 failed: port is already allocated"));
    EXPECT_FALSE(is_port_booked("listen tcp4 127.0.0.1:8080: bind: address already in use"));
}

}  // namespace
}  // namespace envmgr::host::scheduler
