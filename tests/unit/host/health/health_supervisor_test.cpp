// The supervisor with a scripted probe runner and real (short) time: phases, thresholds, several
// probes, engine events and the daemon-wide bound on checks in flight.
#include "host/health/health_supervisor.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

namespace envmgr::host::health {
namespace {

using namespace std::chrono_literals;

// Answers each check after `delay` with what answer() says for the spec's probe name.
class ScriptedRunner : public ProbeRunner {
public:
    std::function<bool(const std::string& probe)> healthy = [](const std::string&) { return true; };
    std::chrono::milliseconds delay{0};

    std::uint64_t check(const sdk::ProbeSpec& spec, Done done) override {
        const int now = ++in_flight_;
        int seen = max_in_flight_.load();
        while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
        }
        ++checks_;
        const bool ok = healthy(spec.name);
        {
            const std::lock_guard lock(mutex_);
            specs_.push_back(spec);
        }
        const std::lock_guard lock(mutex_);
        answering_.emplace_back([this, ok, done = std::move(done), wait = delay] {
            std::this_thread::sleep_for(wait);
            --in_flight_;
            CheckOutcome outcome;
            outcome.ran = true;
            outcome.result.healthy = ok;
            outcome.result.message = ok ? "fine" : "not fine";
            done(outcome);
        });
        return static_cast<std::uint64_t>(checks_.load());
    }
    // Every answer delivered before the runner goes (TSan: no thread outlives what it uses).
    ~ScriptedRunner() override {
        std::vector<std::thread> answering;
        {
            const std::lock_guard lock(mutex_);
            answering.swap(answering_);
        }
        for (auto& thread : answering) thread.join();
    }
    ScriptedRunner() = default;
    ScriptedRunner(const ScriptedRunner&) = delete;
    ScriptedRunner& operator=(const ScriptedRunner&) = delete;
    void cancel(std::uint64_t) override {}
    [[nodiscard]] bool has_type(const std::string&) const override { return true; }

    std::atomic<int> checks_{0};
    std::atomic<int> in_flight_{0};
    std::atomic<int> max_in_flight_{0};
    std::mutex mutex_;
    std::vector<sdk::ProbeSpec> specs_;
    std::vector<std::thread> answering_;
};

// "c<i>", made without std::string's operator+, which GCC 12 at -O3 wrongly warns about
// (-Wrestrict) when it inlines it here.
std::string container_name(int i) {
    char name[16];
    std::snprintf(name, sizeof name, "c%d", i);
    return name;
}

ContainerEvent engine_event(const std::string& action, const std::string& id,
                            std::optional<int> exit_code = {}) {
    ContainerEvent event;
    event.action = action;
    event.id = id;
    event.exit_code = exit_code;
    return event;
}

class HealthSupervisorTest : public ::testing::Test {
public:
    HealthSupervisorTest() : work_(boost::asio::make_work_guard(io_)) {
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
        settings_.defaults.readiness_interval = 5ms;
        settings_.defaults.interval = 20ms;
    }
    ~HealthSupervisorTest() override {
        supervisor_.reset();
        work_.reset();
        for (auto& thread : threads_) thread.join();
    }

protected:
    HealthSupervisor& supervisor() {
        if (!supervisor_) {
            supervisor_ = std::make_unique<HealthSupervisor>(
                io_.get_executor(), runner_, settings_, nullptr,
                std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()));
            supervisor_->subscribe([this](const HealthTransition& t) {
                const std::lock_guard lock(mutex_);
                transitions_.push_back(t);
                changed_.notify_all();
            });
        }
        return *supervisor_;
    }
    // Waits for a transition of this kind; returns it.
    std::optional<HealthTransition> wait_for(const std::string& kind,
                                             std::chrono::milliseconds timeout = 3s) {
        std::unique_lock lock(mutex_);
        std::optional<HealthTransition> found;
        changed_.wait_for(lock, timeout, [&] {
            for (const auto& t : transitions_) {
                if (t.kind == kind) found = t;
            }
            return found.has_value();
        });
        return found;
    }
    static WatchTarget target(const std::vector<std::string>& probe_names) {
        WatchTarget target;
        target.tenant = "default";
        target.service = "redis";
        target.container_id = "c1";
        target.container_ip = "172.18.0.2";
        for (const auto& name : probe_names) {
            sdk::ProbeSpec probe;
            probe.type = "tcp";
            probe.name = name;
            probe.port = 6379;
            probe.failure_threshold = 2;
            target.probes.push_back(probe);
        }
        return target;
    }

    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::vector<std::thread> threads_;
    ScriptedRunner runner_;
    SupervisorSettings settings_;
    std::unique_ptr<HealthSupervisor> supervisor_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<HealthTransition> transitions_;
};

TEST_F(HealthSupervisorTest, AServiceWithoutAProbeIsReadyOnceItHasRunTheSettlePeriod) {
    settings_.no_probe_ready_after = 150ms;
    const auto watched_at = Clock::now();
    const auto id = supervisor().watch(target({}));
    const auto ready = wait_for("ready");
    ASSERT_TRUE(ready);
    EXPECT_GE(ready->at - watched_at, 150ms);
    EXPECT_EQ(ready->reason, "running for 150 ms, no probe");
    const auto status = supervisor().status(id);
    ASSERT_TRUE(status);
    EXPECT_FALSE(status->has_probes);
    EXPECT_EQ(runner_.checks_.load(), 0);
}

TEST_F(HealthSupervisorTest, AServiceWithoutAProbeThatExitsWithinTheSettlePeriodIsNeverReady) {
    settings_.no_probe_ready_after = 200ms;
    supervisor().watch(target({}));
    supervisor().on_container_event(engine_event("die", "c1", 1));
    const auto exited = wait_for("exited");
    ASSERT_TRUE(exited);
    EXPECT_EQ(exited->reason, "the container exited with code 1");
    EXPECT_FALSE(wait_for("ready", 400ms)) << "called ready after it exited";
}

TEST_F(HealthSupervisorTest, AnAdoptedContainerThatRanLongerThanTheSettlePeriodIsReadyAtOnce) {
    settings_.no_probe_ready_after = 10s;
    auto running = target({});
    running.started_at_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                (std::chrono::system_clock::now() - 1h).time_since_epoch())
                                .count();
    supervisor().watch(running);
    EXPECT_TRUE(wait_for("ready", 1s));
}

// The engine reported the exit between its answer that the container runs and the watch: the
// die event, which found no watch then, decides as soon as the watch begins.
TEST_F(HealthSupervisorTest, AnExitReportedBeforeTheWatchBeganEndsItAtOnce) {
    settings_.no_probe_ready_after = 0ms;  // would be ready at once, were the exit forgotten
    const auto started_ns = std::int64_t{1'000'000'000'000};
    auto died = engine_event("die", "c1", 3);
    died.time_nano = started_ns + 5'000'000;
    supervisor().on_container_event(died);
    auto watched = target({});
    watched.started_at_ns = started_ns;
    supervisor().watch(watched);
    const auto exited = wait_for("exited");
    ASSERT_TRUE(exited);
    EXPECT_EQ(exited->reason, "the container exited with code 3");
    EXPECT_FALSE(wait_for("ready", 100ms));
}

// An exit of an earlier run of the same container (a stop, then a start) is not this run's end,
// whether it was recorded before the watch or replayed by the engine's stream afterwards.
TEST_F(HealthSupervisorTest, AnExitOfAnEarlierRunOfTheContainerIsIgnored) {
    settings_.no_probe_ready_after = 0ms;
    const auto started_ns = std::int64_t{2'000'000'000'000};
    auto earlier = engine_event("die", "c1", 0);
    earlier.time_nano = started_ns - 1;
    supervisor().on_container_event(earlier);
    auto watched = target({});
    watched.started_at_ns = started_ns;
    supervisor().watch(watched);
    ASSERT_TRUE(wait_for("ready"));
    supervisor().on_container_event(earlier);  // replayed after a reconnect
    EXPECT_FALSE(wait_for("exited", 100ms));
}

TEST_F(HealthSupervisorTest, TheFirstCheckRunsAtOnceAndReadinessIsPublishedWithTheProbesResult) {
    const auto watched_at = Clock::now();
    const auto id = supervisor().watch(target({"ping"}));
    const auto ready = wait_for("ready");
    ASSERT_TRUE(ready);
    EXPECT_LT(ready->at - watched_at, 50ms);
    EXPECT_EQ(ready->probe, "ping");
    EXPECT_EQ(ready->reason, "fine");
    const auto status = supervisor().status(id);
    EXPECT_EQ(status->state, HealthState::ready);
    EXPECT_EQ(status->checks.at("ping").message, "fine");
}

TEST_F(HealthSupervisorTest, AProbeFailingItsThresholdAfterReadyMakesItUnhealthyThenItRecovers) {
    std::atomic<bool> up{true};
    runner_.healthy = [&](const std::string&) { return up.load(); };
    supervisor().watch(target({"ping"}));
    ASSERT_TRUE(wait_for("ready"));
    up = false;
    const auto unhealthy = wait_for("unhealthy");
    ASSERT_TRUE(unhealthy);
    EXPECT_EQ(unhealthy->reason, "not fine");
    EXPECT_EQ(unhealthy->from, HealthState::ready);
    up = true;
    EXPECT_TRUE(wait_for("recovered"));
}

// A status built from a watch's check messages is current while its version reads the same.
TEST_F(HealthSupervisorTest, AWatchsMessagesVersionMovesWhenAMessageChangesAndOnlyThen) {
    std::atomic<bool> up{true};
    runner_.healthy = [&](const std::string&) { return up.load(); };
    const auto id = supervisor().watch(target({"ping"}));
    ASSERT_TRUE(wait_for("ready"));
    const auto counter = supervisor().check_messages_version(id);
    ASSERT_NE(counter, nullptr);
    const auto fine = counter->load();
    EXPECT_GT(fine, 0U);
    std::this_thread::sleep_for(100ms);  // more checks, all "fine"
    EXPECT_EQ(counter->load(), fine);
    up = false;
    ASSERT_TRUE(wait_for("unhealthy"));
    EXPECT_GT(counter->load(), fine);
    EXPECT_EQ(supervisor().status(id)->checks.at("ping").message, "not fine");
    supervisor().unwatch(id);
    EXPECT_EQ(supervisor().check_messages_version(id), nullptr);
}

TEST_F(HealthSupervisorTest, EveryProbeMustPass) {
    std::atomic<bool> http_up{false};
    runner_.healthy = [&](const std::string& probe) { return probe == "ping" || http_up.load(); };
    supervisor().watch(target({"ping", "http"}));
    EXPECT_FALSE(wait_for("ready", 200ms)) << "ready with one probe still failing";
    http_up = true;
    EXPECT_TRUE(wait_for("ready"));
}

TEST_F(HealthSupervisorTest, AContainerThatDiesIsReportedAtOnceFromTheEngineEvent) {
    settings_.defaults.interval = 60s;  // no probe would notice for a minute
    supervisor().watch(target({"ping"}));
    ASSERT_TRUE(wait_for("ready"));
    const auto died_at = Clock::now();
    supervisor().on_container_event(engine_event("oom", "c1"));
    supervisor().on_container_event(engine_event("die", "c1", 137));
    const auto exited = wait_for("exited");
    ASSERT_TRUE(exited);
    EXPECT_LT(exited->at - died_at, 100ms);
    EXPECT_EQ(exited->reason, "the container was OOM-killed with code 137");
    supervisor().on_container_event(engine_event("die", "other"));  // not watched: ignored
}

TEST_F(HealthSupervisorTest, ChecksInFlightStayWithinTheDaemonWideBound) {
    settings_.max_concurrent_checks = 3;
    runner_.delay = 20ms;
    runner_.healthy = [](const std::string&) { return false; };  // keep everyone waiting and probing
    for (int i = 0; i < 20; ++i) {
        auto t = target({"ping"});
        t.container_id = container_name(i);
        supervisor().watch(t);
    }
    std::this_thread::sleep_for(400ms);
    EXPECT_GT(runner_.checks_.load(), 20);
    EXPECT_LE(runner_.max_in_flight_.load(), 3);
}

TEST_F(HealthSupervisorTest, UnwatchStopsTheChecks) {
    runner_.healthy = [](const std::string&) { return false; };
    const auto id = supervisor().watch(target({"ping"}));
    std::this_thread::sleep_for(50ms);
    supervisor().unwatch(id);
    std::this_thread::sleep_for(30ms);
    const int after = runner_.checks_.load();
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(runner_.checks_.load(), after);
    EXPECT_FALSE(supervisor().status(id));
}

TEST(HealthSupervisorAddress, TheContainersOwnAddressByDefaultThePublishedPortWhenAsked) {
    WatchTarget target;
    target.container_id = "c1";
    target.container_ip = "172.18.0.2";
    target.published_ports[6379] = {"0.0.0.0", 16379};
    sdk::ProbeSpec probe;
    probe.type = "tcp";
    probe.port = 6379;
    probe.interval_ms = 777;
    const auto own = HealthSupervisor::check_spec(probe, target, "auto");
    EXPECT_EQ(own.host, "172.18.0.2");
    EXPECT_EQ(own.port, 6379);
    EXPECT_EQ(own.interval_ms, 0) << "schedule fields stay with the supervisor";
    const auto published = HealthSupervisor::check_spec(probe, target, "published");
    EXPECT_EQ(published.host, "127.0.0.1");
    EXPECT_EQ(published.port, 16379);
    probe.target = "published";  // the spec can force either
    EXPECT_EQ(HealthSupervisor::check_spec(probe, target, "container").port, 16379);
    target.container_ip.clear();  // not routable: auto falls back to the published port
    probe.target.clear();
    EXPECT_EQ(HealthSupervisor::check_spec(probe, target, "auto").host, "127.0.0.1");
}

TEST(ContainerEvents, ItemsOfTheEventStreamBecomeEvents) {
    const auto event = container_event_from_item(nlohmann::json::parse(
        R"({"type":"container","action":"die","id":"c1","name":"redis","labels":{"env-manager.tenant":"default"},"exit_code":1,"time_nano":5})"));
    ASSERT_TRUE(event);
    EXPECT_EQ(event->action, "die");
    EXPECT_EQ(event->exit_code, 1);
    EXPECT_EQ(event->labels.at("env-manager.tenant"), "default");
    EXPECT_FALSE(container_event_from_item(nlohmann::json::parse(R"({"type":"network","action":"create"})")));
    EXPECT_TRUE(
        container_event_from_item(nlohmann::json::parse(R"({"type":"stream","action":"reconnected"})")));
}

}  // namespace
}  // namespace envmgr::host::health
