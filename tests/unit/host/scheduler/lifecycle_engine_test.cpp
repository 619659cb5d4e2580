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

TEST(RestartPolicy, TheBackOffDoublesUpToItsCap) {
    EngineSettings settings;
    EXPECT_EQ(restart_delay(0, settings), std::chrono::milliseconds(1000));
    EXPECT_EQ(restart_delay(1, settings), std::chrono::milliseconds(2000));
    EXPECT_EQ(restart_delay(5, settings), std::chrono::milliseconds(32000));
    EXPECT_EQ(restart_delay(9, settings), std::chrono::milliseconds(300000));  // 5 min cap
    EXPECT_EQ(restart_delay(60, settings), std::chrono::milliseconds(300000));
}

TEST(RestartPolicy, EachPolicyDecidesOnTheExitCode) {
    EXPECT_FALSE(should_restart("no", 1, 0, 0));
    EXPECT_TRUE(should_restart("always", 0, 7, 0));
    EXPECT_TRUE(should_restart("unless-stopped", 0, 0, 0));
    EXPECT_FALSE(should_restart("on-failure", 0, 0, 0));
    EXPECT_TRUE(should_restart("on-failure", 1, 2, 3));
    EXPECT_FALSE(should_restart("on-failure", 1, 3, 3));
    EXPECT_TRUE(should_restart("on-failure", 1, 50, 0));  // 0: no limit
}

using namespace std::chrono_literals;

class RestartTest : public LifecycleEngineTest {
protected:
    void use(sdk::ServiceDefinition definition,
             std::chrono::seconds health_timeout = std::chrono::seconds(60)) {
        registry::RegistryInputs inputs;
        inputs.plugin_definitions = {{"test", std::move(definition)}};
        registry_ = registry::build_registry(config::Config{}, inputs);
        ASSERT_TRUE(registry_.ok());
        EngineSettings settings;
        settings.restart_backoff_initial = std::chrono::milliseconds(20);
        settings.health_timeout = health_timeout;
        engine(settings);
    }
    // The service's container dies with exit_code, as the engine's events report it.
    void die(const std::string& name, int exit_code) {
        const auto id = backend_.exit(name, exit_code);
        health::ContainerEvent event;
        event.action = "die";
        event.id = id;
        event.exit_code = exit_code;
        supervisor_->on_container_event(event);
    }
    nlohmann::json status_of(const std::string& name) {
        std::promise<nlohmann::json> done;
        engine_->snapshot("default", [&](const sdk::StatusSnapshot& snapshot) { done.set_value(snapshot); });
        const auto snapshot = done.get_future().get();
        for (const auto& service : snapshot["services"]) {
            if (service["name"] == name) return service;
        }
        return nlohmann::json::object();
    }
    // Waits until the service's state is `state`.
    bool wait_for(const std::string& name, const std::string& state, std::chrono::milliseconds timeout = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (status_of(name).value("state", "") == state) return true;
            std::this_thread::sleep_for(2ms);
        }
        return false;
    }
};

TEST_F(RestartTest, OnFailureRestartsWithGrowingBackOffThenGivesUp) {
    auto crash = service("a");
    crash.restart_policy = "on-failure";
    crash.restart_max_retries = 3;
    use(crash);
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    std::vector<std::chrono::steady_clock::duration> gaps;
    for (int restart = 1; restart <= 3; ++restart) {
        const auto died = std::chrono::steady_clock::now();
        die("a", 1);
        ASSERT_TRUE(wait_for("a", "restarting")) << restart;
        const auto status = status_of("a");
        EXPECT_EQ(status["restart_count"], restart);
        EXPECT_GT(status["next_restart_at"].get<std::int64_t>(), 0);
        ASSERT_TRUE(wait_for("a", "healthy")) << restart;
        gaps.push_back(std::chrono::steady_clock::now() - died);
        EXPECT_EQ(backend_.started().size(), static_cast<std::size_t>(restart + 1));
    }
    EXPECT_GT(gaps[2], gaps[0]);  // 20, 40, 80 ms
    EXPECT_GE(gaps[2], 80ms);
    die("a", 1);
    ASSERT_TRUE(wait_for("a", "failed"));
    EXPECT_THAT(status_of("a")["message"].get<std::string>(), HasSubstr("gave up after 3 restart(s)"));
    EXPECT_EQ(backend_.started().size(), 4U);
}

TEST_F(RestartTest, AlwaysRestartsEvenACleanExit) {
    auto always = service("a");
    always.restart_policy = "always";
    use(always);
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    die("a", 0);
    ASSERT_TRUE(wait_for("a", "restarting"));
    ASSERT_TRUE(wait_for("a", "healthy"));
    EXPECT_EQ(backend_.started().size(), 2U);
}

TEST_F(RestartTest, AOneShotJobThatExitsZeroHasCompleted) {
    auto job = service("a");
    job.restart_policy = "no";
    use(job);
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    die("a", 0);
    ASSERT_TRUE(wait_for("a", "stopped"));
    EXPECT_EQ(status_of("a")["message"], "completed (exit code 0)");
    EXPECT_EQ(backend_.started().size(), 1U);
}

// The engine answers the start, and the process is gone before anyone watches it: the engine's
// state decides. The start never reports it ready, fails at its timeout, and the restart policy
// goes on after the request has given up.
TEST_F(RestartTest, AContainerThatExitsAsSoonAsItStartsIsNeverReadyAndKeepsRestartingAfterTheStart) {
    auto crash = service("a");
    crash.restart_policy = "always";
    backend_.exit_on_start("a", 1);
    use(crash, 1s);
    std::mutex seen_mutex;
    std::vector<std::string> seen;
    std::promise<RunResult> done;
    engine_->start(
        {"default", {}, true},
        [&](const StatusEvent& event) {
            const std::lock_guard lock(seen_mutex);
            seen.emplace_back(state_name(event.state));
        },
        [&](RunResult result) { done.set_value(std::move(result)); });
    const auto result = done.get_future().get();
    EXPECT_EQ(result.status, ENVMGR_STATUS_TIMEOUT);
    EXPECT_THAT(result.message, HasSubstr("its restart policy goes on"));
    EXPECT_THAT(result.message, HasSubstr("exited with code 1 as soon as it started"));
    {
        const std::lock_guard lock(seen_mutex);
        EXPECT_EQ(std::count(seen.begin(), seen.end(), "healthy"), 0) << "reported ready while it had exited";
        EXPECT_GT(std::count(seen.begin(), seen.end(), "restarting"), 2);
    }
    const auto starts_at_the_end = backend_.started().size();
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (backend_.started().size() == starts_at_the_end && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_GT(backend_.started().size(), starts_at_the_end) << "the restart policy stopped with the start";
    const auto status = status_of("a");
    EXPECT_GT(status["restart_count"].get<int>(), 3);
    EXPECT_NE(status["state"], "failed");
}

TEST_F(RestartTest, OnFailureGivesUpOnAContainerThatExitsAsSoonAsItStarts) {
    auto crash = service("a");
    crash.restart_policy = "on-failure";
    crash.restart_max_retries = 2;
    backend_.exit_on_start("a", 3);
    use(crash);
    const auto result = start({"default", {}, true});
    EXPECT_NE(result.status, ENVMGR_STATUS_OK);
    EXPECT_THAT(result.message, HasSubstr("gave up after 2 restart(s)"));
    EXPECT_EQ(backend_.started().size(), 3U);
    EXPECT_EQ(status_of("a")["state"], "failed");
}

// Overrides recreate the container: the engine then reports the old one's death (SIGKILL, 137),
// which env-manager ordered and must not take for a crash.
TEST_F(RestartTest, ARecreateEnvManagerOrderedIsNotAnExit) {
    auto redis = service("a");
    redis.restart_policy = "always";
    use(redis);
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    const std::string old_id = status_of("a")["container_id"];
    auto changed = std::make_shared<registry::EffectiveService>(*registry_.find("default", "a"));
    changed->definition.env["FOO"] = "1";
    changed->definition_hash += "-overridden";
    const auto recreated = start({"default", {"a"}, true, {{"a", changed}}});
    ASSERT_EQ(recreated.status, ENVMGR_STATUS_OK) << recreated.message;
    health::ContainerEvent killed;
    killed.action = "die";
    killed.id = old_id;
    killed.exit_code = 137;
    supervisor_->on_container_event(killed);
    std::this_thread::sleep_for(100ms);
    const auto status = status_of("a");
    EXPECT_EQ(status["state"], "healthy");
    EXPECT_EQ(status["restart_count"], 0);
    EXPECT_NE(status["container_id"], old_id);
    EXPECT_EQ(backend_.started().size(), 2U);
}

TEST_F(RestartTest, AStopDuringTheBackOffCancelsTheRestart) {
    auto crash = service("a");
    crash.restart_policy = "always";
    use(crash);
    EngineSettings slow;
    slow.restart_backoff_initial = 2s;
    engine(slow);
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    die("a", 1);
    ASSERT_TRUE(wait_for("a", "restarting"));
    ASSERT_EQ(stop({"default", {}, 0, true}).status, ENVMGR_STATUS_OK);
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(status_of("a")["state"], "stopped");
    EXPECT_EQ(backend_.started().size(), 1U);
}

}  // namespace
}  // namespace envmgr::host::scheduler

namespace envmgr::host::scheduler {
namespace {

// Services with nothing to stop finish at once and free the next ones from inside the same
// round: a running service reached that way is stopped once and reported as stopped.
TEST_F(LifecycleEngineTest, AStopOfEverythingReportsEachRunningServiceAsStoppedOnce) {
    engine();
    ASSERT_EQ(start({"default", {"d"}, true}).status, ENVMGR_STATUS_OK);
    const auto stopped = stop({"default", {}, 0, true});
    ASSERT_EQ(stopped.status, ENVMGR_STATUS_OK) << stopped.message;
    const auto outcomes = by_service(stopped);
    EXPECT_EQ(outcomes.at("d").message, "stopped");
    EXPECT_EQ(outcomes.at("a").message, "not running");
    const auto calls = backend_.operations();
    EXPECT_EQ(std::count_if(calls.begin(), calls.end(),
                            [](const std::string& call) { return call.starts_with("container.stop"); }),
              1);
}

TEST_F(LifecycleEngineTest, AContainerRemovedBehindItsBackIsCreatedAgain) {
    engine();
    ASSERT_EQ(start({"default", {"a"}, true}).status, ENVMGR_STATUS_OK);
    ASSERT_EQ(stop({"default", {"a"}, 0, false}).status, ENVMGR_STATUS_OK);  // kept, stopped
    backend_.remove_all();                                                   // gone by hand
    const auto again = start({"default", {"a"}, true});
    ASSERT_EQ(again.status, ENVMGR_STATUS_OK) << again.message;
    EXPECT_EQ(backend_.container_count(), 1U);
}

}  // namespace
}  // namespace envmgr::host::scheduler

namespace envmgr::host::scheduler {
namespace {

using namespace std::chrono_literals;

// A readiness probe of type "switch": healthy while `healthy` is set.
class SwitchProbe : public health::ProbeRunner {
public:
    std::atomic<bool> healthy{true};
    std::uint64_t check(const sdk::ProbeSpec& /*spec*/, Done done) override {
        health::CheckOutcome outcome;
        outcome.ran = true;
        outcome.result.healthy = healthy.load();
        outcome.result.message = outcome.result.healthy ? "fine" : "sick";
        done(std::move(outcome));
        return 0;
    }
    void cancel(std::uint64_t /*id*/) override {}
    [[nodiscard]] bool has_type(const std::string& type) const override { return type == "switch"; }
};

class UnhealthyRestartTest : public RestartTest {
protected:
    void SetUp() override {
        RestartTest::SetUp();
        supervisor_->stop();
        supervisor_ = std::make_unique<health::HealthSupervisor>(io_.get_executor(), switch_,
                                                                 supervisor_settings(), nullptr, logger_);
    }
    void use_probed(const std::string& policy, bool restart_on_unhealthy) {
        auto definition = service("a");
        definition.restart_policy = policy;
        definition.restart_on_unhealthy = restart_on_unhealthy;
        definition.readiness.type = "switch";
        definition.readiness.interval_ms = 5;
        definition.readiness.failure_threshold = 1;
        registry::RegistryInputs inputs;
        inputs.plugin_definitions = {{"test", std::move(definition)}};
        inputs.probe_types = {"switch"};
        registry_ = registry::build_registry(config::Config{}, inputs);
        ASSERT_TRUE(registry_.ok()) << (registry_.errors.empty() ? "" : registry_.errors[0].to_string());
        EngineSettings settings;
        settings.restart_backoff_initial = 20ms;
        engine(settings);
    }
    std::size_t stops() {
        const auto calls = backend_.operations();
        return static_cast<std::size_t>(
            std::count_if(calls.begin(), calls.end(),
                          [](const std::string& call) { return call.starts_with("container.stop"); }));
    }

    SwitchProbe switch_;
};

TEST_F(UnhealthyRestartTest, RestartOnUnhealthyStopsAndRestartsWithBackOff) {
    use_probed("always", true);
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    switch_.healthy = false;
    ASSERT_TRUE(wait_for("a", "restarting"));
    EXPECT_THAT(status_of("a")["message"].get<std::string>(), HasSubstr("unhealthy: sick"));
    switch_.healthy = true;
    ASSERT_TRUE(wait_for("a", "healthy"));
    EXPECT_EQ(status_of("a")["restart_count"], 1);
    EXPECT_EQ(stops(), 1U);
    EXPECT_EQ(backend_.started().size(), 2U);
}

TEST_F(UnhealthyRestartTest, WithoutRestartOnUnhealthyItIsOnlyReported) {
    use_probed("always", false);
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    switch_.healthy = false;
    ASSERT_TRUE(wait_for("a", "unhealthy"));
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(status_of("a")["state"], "unhealthy");
    EXPECT_EQ(stops(), 0U);
    EXPECT_EQ(backend_.started().size(), 1U);
    switch_.healthy = true;
    EXPECT_TRUE(wait_for("a", "healthy"));  // recovered, same container
}

TEST_F(UnhealthyRestartTest, PolicyNoNeverRestartsEvenWhenAsked) {
    use_probed("no", true);
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    switch_.healthy = false;
    ASSERT_TRUE(wait_for("a", "unhealthy"));
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(status_of("a")["state"], "unhealthy");
    EXPECT_EQ(stops(), 0U);
}

TEST_F(UnhealthyRestartTest, AStartWaitingOnlyForAnAdoptedServiceToBeReadyFinishesWhenItIs) {
    use_probed("always", false);
    ASSERT_EQ(start({"default", {}, true}).status, ENVMGR_STATUS_OK);
    // A new engine (the daemon restarted) adopts the running container while it is not ready;
    // the start then has nothing to do but wait for its readiness, and no call in flight.
    switch_.healthy = false;
    EngineSettings settings;
    engine(settings);
    std::promise<std::size_t> adopted;
    engine_->adopt([&](envmgr_status /*status*/, std::size_t found) { adopted.set_value(found); });
    ASSERT_EQ(adopted.get_future().get(), 1U);
    ASSERT_TRUE(wait_for("a", "waiting-healthy"));
    std::promise<RunResult> done;
    engine_->start({"default", {}, true}, nullptr,
                   [&](RunResult result) { done.set_value(std::move(result)); });
    auto finished = done.get_future();
    EXPECT_EQ(finished.wait_for(100ms), std::future_status::timeout);
    switch_.healthy = true;
    ASSERT_EQ(finished.wait_for(5s), std::future_status::ready) << "the start was lost while it waited";
    EXPECT_EQ(finished.get().status, ENVMGR_STATUS_OK);
    EXPECT_EQ(backend_.started().size(), 1U);  // adopted, never started again
}

TEST_F(LifecycleEngineTest, ParallelFalseStartsOneServiceAtATimeInDependencyOrder) {
    engine();
    ASSERT_EQ(start({"default", {}, false}).status, ENVMGR_STATUS_OK);
    // One at a time: each service's create follows the previous service's start, never overlaps.
    const auto calls = backend_.operations();
    std::vector<std::string> creates_and_starts;
    for (const auto& call : calls) {
        if (call.starts_with("container.create") || call.starts_with("container.start")) {
            creates_and_starts.push_back(call);
        }
    }
    ASSERT_EQ(creates_and_starts.size(), 10U);
    for (std::size_t i = 0; i < creates_and_starts.size(); i += 2) {
        EXPECT_TRUE(creates_and_starts[i].starts_with("container.create")) << i;
        EXPECT_TRUE(creates_and_starts[i + 1].starts_with("container.start")) << i;
    }
    const auto order = backend_.started();
    const auto at = [&](const std::string& name) {
        return std::find(order.begin(), order.end(), name) - order.begin();
    };
    EXPECT_LT(at("a"), at("b"));
    EXPECT_LT(at("b"), at("c"));
    EXPECT_LT(at("a"), at("e"));
}

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
       "ports": [{"host_port": 8081, "host_ip": "127.0.0.1", "protocol": "tcp"}]}])");
    EXPECT_EQ(port_holders_text(containers, "self", wants),
              "; host port 8080 is held by env-manager's container blue-web (tenant blue, service web)");
    EXPECT_EQ(port_holders_text(nlohmann::json(), "self", wants), "");
    EXPECT_TRUE(is_port_taken("Bind for 0.0.0.0:8080 failed: port is already allocated"));
    EXPECT_TRUE(is_port_taken("listen tcp4 127.0.0.1:8080: bind: address already in use"));
    EXPECT_FALSE(is_port_taken("No such image"));
}

}  // namespace
}  // namespace envmgr::host::scheduler
