#include "bench/grpc_bench_fan_out.h"

#include "bench/grpc_bench_common.h"
#include "tests/support/daemon_child.h"

#include <grpcpp/support/client_callback.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace grpc_bench {
namespace {

// What the streams report, under one lock: counts the main thread waits on, and each stream's
// arrival times, read once the counts are reached. Waiters are woken only when a wait can end,
// so that no wake-up competes with the fan-out being measured.
class StreamTracker {
public:
    explicit StreamTracker(std::size_t streams) : first_update_(streams), unhealthy_at_(streams) {}

    void received(std::size_t stream, bool healthy, Clock::time_point at) {
        const std::lock_guard lock(mutex_);
        if (!first_update_[stream]) {
            first_update_[stream] = at;
            ++first_updates_;
            if (firsts_settled()) changed_.notify_all();
        }
        if (armed_ && !healthy && !unhealthy_at_[stream]) {
            unhealthy_at_[stream] = at;
            ++unhealthy_;
            if (unhealthy_settled()) changed_.notify_all();
        }
    }

    void ended(std::size_t stream, const grpc::Status& status) {
        const std::lock_guard lock(mutex_);
        ++ended_;
        if (!first_update_[stream]) ++ended_before_first_;
        if (!unhealthy_at_[stream]) ++ended_before_unhealthy_;
        if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
            if (failures_ == 0) first_failure_ = status.error_message();
            ++failures_;
        }
        changed_.notify_all();
    }

    // From now on a healthy=false update is the change being measured.
    void arm() {
        const std::lock_guard lock(mutex_);
        armed_ = true;
    }

    bool wait_for_first_updates(Clock::duration timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [this] { return firsts_settled(); });
    }
    bool wait_for_unhealthy(Clock::duration timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [this] { return unhealthy_settled(); });
    }
    bool wait_for_all_ended(Clock::duration timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [this] { return ended_ == first_update_.size(); });
    }

    std::vector<Clock::time_point> first_update_times() const { return times_of(first_update_); }
    std::vector<Clock::time_point> unhealthy_times() const { return times_of(unhealthy_at_); }
    std::size_t failures() const {
        const std::lock_guard lock(mutex_);
        return failures_;
    }
    std::string first_failure() const {
        const std::lock_guard lock(mutex_);
        return first_failure_;
    }

private:
    bool firsts_settled() const { return first_updates_ + ended_before_first_ == first_update_.size(); }
    bool unhealthy_settled() const { return unhealthy_ + ended_before_unhealthy_ == unhealthy_at_.size(); }

    std::vector<Clock::time_point> times_of(const std::vector<std::optional<Clock::time_point>>& all) const {
        const std::lock_guard lock(mutex_);
        std::vector<Clock::time_point> times;
        times.reserve(all.size());
        for (const auto& at : all) {
            if (at) times.push_back(*at);
        }
        return times;
    }

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::optional<Clock::time_point>> first_update_;
    std::vector<std::optional<Clock::time_point>> unhealthy_at_;
    bool armed_ = false;
    std::size_t first_updates_ = 0;
    std::size_t unhealthy_ = 0;
    std::size_t ended_ = 0;
    std::size_t ended_before_first_ = 0;
    std::size_t ended_before_unhealthy_ = 0;
    std::size_t failures_ = 0;
    std::string first_failure_;
};

// One StreamHealth call with the callback API: one read outstanding at a time, the next started
// from OnReadDone; the arrival time is taken before anything else.
class HealthWatcher final : public grpc::ClientReadReactor<pb::HealthUpdate> {
public:
    HealthWatcher(std::shared_ptr<StreamTracker> tracker, std::size_t stream)
        : tracker_(std::move(tracker)), stream_(stream) {
        context_.AddMetadata(kTenantKey, kTenant);
        request_.add_service_names(kService);
        request_.set_interval_seconds(3600);  // no heartbeat during the run: only the change arrives
    }

    void open(pb::EnvManagerService::Stub& stub) {
        stub.async()->StreamHealth(&context_, &request_, this);
        StartRead(&update_);
        StartCall();
    }

    void cancel() { context_.TryCancel(); }

    void OnReadDone(bool ok) override {
        const auto arrived = Clock::now();
        if (!ok) return;  // the call is over: OnDone follows
        tracker_->received(stream_, update_.healthy(), arrived);
        StartRead(&update_);
    }

    void OnDone(const grpc::Status& status) override { tracker_->ended(stream_, status); }

private:
    std::shared_ptr<StreamTracker> tracker_;
    std::size_t stream_;
    grpc::ClientContext context_;
    pb::StreamHealthRequest request_;
    pb::HealthUpdate update_;
};

class HealthFanOut {
public:
    HealthFanOut(const std::string& target, pid_t daemon_pid)
        : daemon_(daemon_pid), tracker_(std::make_shared<StreamTracker>(kStreams)) {
        connections_.reserve(kStreamChannels);
        for (std::size_t i = 0; i < kStreamChannels; ++i) {
            connections_.push_back(
                std::make_unique<Connection>(open_channel(target, static_cast<int>(1000 + i))));
        }
    }
    HealthFanOut(const HealthFanOut&) = delete;
    HealthFanOut& operator=(const HealthFanOut&) = delete;

    ~HealthFanOut() {
        if (tracker_->wait_for_all_ended(0s)) return;
        // gRPC still holds calls that never ended: their watchers must outlive them, so they are
        // left alive (this happens only when cancelling failed).
        for (auto& watcher : watchers_) {
            [[maybe_unused]] HealthWatcher* still_in_use = watcher.release();
        }
    }

    // Every stream open and holding its first update (the current state): true when all did.
    bool open_streams() {
        const long idle_kib = envmgr::tests::rss_kib(daemon_);
        watchers_.reserve(kStreams);
        const auto opening = Clock::now();
        for (std::size_t i = 0; i < kStreams; ++i) {
            watchers_.push_back(std::make_unique<HealthWatcher>(tracker_, i));
            watchers_.back()->open(*connections_[i % kStreamChannels]->stub);
        }
        const bool settled = tracker_->wait_for_first_updates(30s);
        const auto firsts = tracker_->first_update_times();
        const double took =
            firsts.empty() ? 0 : Millis(*std::max_element(firsts.begin(), firsts.end()) - opening).count();
        std::printf(
            "StreamHealth: %zu of %zu streams over %zu connections had their first update, the last "
            "%.0f ms after the first was opened%s\n",
            firsts.size(), kStreams, kStreamChannels, took, settled ? "" : " (gave up after 30 s)");
        print_failures();
        const long open_kib = envmgr::tests::rss_kib(daemon_);
        std::printf("daemon RSS: idle %.1f MiB; %zu streams open %.1f MiB (%+.1f KiB per stream)\n",
                    mib(idle_kib), firsts.size(), mib(open_kib),
                    firsts.empty()
                        ? 0.0
                        : static_cast<double>(open_kib - idle_kib) / static_cast<double>(firsts.size()));
        return firsts.size() == kStreams;
    }

    // One change for every stream: the container is killed (the kill's time taken just before
    // the docker CLI starts, so the engine's event delay and the CLI's own are included).
    void measure_one_change() {
        tracker_->arm();
        const auto killed_at = Clock::now();
        const bool killed = run_quietly(std::string("docker kill ") + kContainer);
        const double kill_ms = Millis(Clock::now() - killed_at).count();
        if (!killed) std::printf("docker kill %s failed\n", kContainer);
        const bool settled = tracker_->wait_for_unhealthy(30s);
        const auto arrivals = tracker_->unhealthy_times();
        std::vector<double> from_kill;
        std::vector<double> spread;
        from_kill.reserve(arrivals.size());
        spread.reserve(arrivals.size());
        if (!arrivals.empty()) {
            const auto first = *std::min_element(arrivals.begin(), arrivals.end());
            for (const auto& at : arrivals) {
                from_kill.push_back(Millis(at - killed_at).count());
                spread.push_back(Millis(at - first).count());
            }
        }
        const auto latency = percentiles_of(std::move(from_kill));
        const auto fan_out = percentiles_of(std::move(spread));
        std::printf("`docker kill %s` returned after %.0f ms\n", kContainer, kill_ms);
        std::printf(
            "healthy=false reached %zu of %zu streams%s; from the kill: p50 %.1f ms p99 %.1f ms max "
            "%.1f ms\n",
            arrivals.size(), kStreams, settled ? "" : " (gave up after 30 s)", latency.p50, latency.p99,
            latency.max);
        std::printf(
            "  delivery spread from the first stream's receipt (the fan-out alone): p50 %.2f ms "
            "p99 %.2f ms max %.2f ms\n",
            fan_out.p50, fan_out.p99, fan_out.max);
        print_failures();
    }

    void cancel_streams() {
        for (auto& watcher : watchers_) watcher->cancel();
        if (!tracker_->wait_for_all_ended(10s)) {
            std::printf("not every stream ended within 10 s of its cancel\n");
        }
        std::this_thread::sleep_for(1s);  // the daemon's side of each call ends after ours
        std::printf("daemon RSS 1 s after cancelling the streams: %.1f MiB\n",
                    mib(envmgr::tests::rss_kib(daemon_)));
        std::this_thread::sleep_for(5s);  // one interval of the daemon's memory trim (memory_trim.h)
        std::printf("daemon RSS 6 s after cancelling the streams: %.1f MiB\n",
                    mib(envmgr::tests::rss_kib(daemon_)));
    }

private:
    void print_failures() const {
        if (const auto failures = tracker_->failures(); failures > 0) {
            std::printf("  %zu streams failed, the first with: %s\n", failures,
                        tracker_->first_failure().c_str());
        }
    }

    pid_t daemon_;
    std::vector<std::unique_ptr<Connection>> connections_;
    std::shared_ptr<StreamTracker> tracker_;
    std::vector<std::unique_ptr<HealthWatcher>> watchers_;
};

}  // namespace

void measure_stream_fan_out(const std::string& target, pid_t daemon_pid) {
    HealthFanOut fan_out(target, daemon_pid);
    if (fan_out.open_streams()) fan_out.measure_one_change();
    fan_out.cancel_streams();
}

}  // namespace grpc_bench
