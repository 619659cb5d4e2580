// The gRPC frontend against the real daemon, started here as a child process with a tenant of
// its own (grpcbench, redis only started), against baselines measured in the same run:
//  - GetServicesStatus latency and throughput with 1 client, 50 clients on a channel each and 50
//    clients on one shared channel, each against the standard grpc.health.v1.Health/Check served
//    by the same daemon on the same channels (the floor of a unary call there); printed as ratios;
//  - StreamHealth fan-out: 1000 streams over 8 connections, one change (the redis container is
//    killed); latency from the kill to each stream's healthy=false, and the spread from the first
//    stream's receipt to each one's (the fan-out without the engine's event delay);
//  - the daemon's resident memory idle, with the 1000 streams open, and 1 s after cancelling them.
// Needs the test-bed (scripts/testbed.sh up). Usage: build/release/bin/grpc_bench [seconds]
// (seconds per unary measurement, default 5).
#include "env_manager/v1/env_manager.grpc.pb.h"
#include "tests/support/daemon_child.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/impl/client_unary_call.h>
#include <grpcpp/impl/rpc_method.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/channel_arguments.h>
#include <grpcpp/support/client_callback.h>
#include <grpcpp/support/slice.h>

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

namespace pb = env_manager::v1;
using Clock = std::chrono::steady_clock;
using Millis = std::chrono::duration<double, std::milli>;

constexpr const char* kTenant = "grpcbench";
constexpr const char* kTenantKey = "x-env-manager-tenant";
constexpr const char* kService = "redis";
constexpr const char* kContainer = "grpcbench-redis";
constexpr const char* kHealthCheckMethod = "/grpc.health.v1.Health/Check";
constexpr std::size_t kManyClients = 50;
constexpr std::size_t kStreams = 1000;
constexpr std::size_t kStreamChannels = 8;

bool run_quietly(const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

// What an earlier run (or this one) left: the tenant's container, volume and network.
void remove_bench_tenant() {
    run_quietly(std::string("docker rm -f -v ") + kContainer);
    run_quietly(std::string("docker volume rm ") + kTenant + "_redis_data");
    run_quietly(std::string("docker network rm env-manager-") + kTenant);
}

std::string bench_config() {
    const std::string tenant = std::string("[tenants.") + kTenant + "]";
    return tenant + "\nport_offset = 5000\n" + "[tenants." + kTenant + ".services." + kService +
           "]\nlabels = { \"envmgr.test\" = \"1\" }\n";
}

bool write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream file(path);
    file << text;
    file.close();
    return !file.fail();
}

double mib(long kib) {
    return static_cast<double>(kib) / 1024.0;
}

// A channel with its own subchannel pool never shares a connection with another channel, so N
// channels are N connections (the id makes their arguments differ too, for the same reason).
std::shared_ptr<grpc::Channel> open_channel(const std::string& target, int id) {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    arguments.SetInt("envmgr.bench.connection_id", id);
    return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments);
}

// One connection: the generated stub, and the health check as a method handle registered with
// the channel, as a generated stub holds each of its methods (there is no C++ health stub to use).
struct Connection {
    explicit Connection(std::shared_ptr<grpc::Channel> opened)
        : channel(std::move(opened)),
          stub(pb::EnvManagerService::NewStub(channel)),
          health_check(kHealthCheckMethod, grpc::internal::RpcMethod::NORMAL_RPC, channel) {}

    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<pb::EnvManagerService::Stub> stub;
    grpc::internal::RpcMethod health_check;
};

// Both measured calls carry the same metadata (the health service ignores the tenant) and a
// deadline, so that a stuck daemon ends the run instead of hanging it.
void prepare(grpc::ClientContext& context) {
    context.AddMetadata(kTenantKey, kTenant);
    context.set_deadline(std::chrono::system_clock::now() + 10s);
}

grpc::Status call_services_status(Connection& connection, pb::ServicesStatusResponse& response) {
    grpc::ClientContext context;
    prepare(context);
    return connection.stub->GetServicesStatus(&context, pb::GetServicesStatusRequest(), &response);
}

// The path the generated synchronous stub takes for GetServicesStatus, with raw bytes: an empty
// HealthCheckRequest (service "", the server as a whole) is zero bytes. The buffer is made of
// one empty slice: a default ByteBuffer would send no message at all.
grpc::Status call_health_check(Connection& connection, grpc::ByteBuffer& response) {
    grpc::ClientContext context;
    prepare(context);
    const grpc::Slice nothing;
    const grpc::ByteBuffer request(&nothing, 1);
    return grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
        connection.channel.get(), connection.health_check, &context, request, &response);
}

enum class Rpc { services_status, health_check };

bool call_rpc(Connection& connection, Rpc rpc) {
    if (rpc == Rpc::services_status) {
        pb::ServicesStatusResponse response;
        return call_services_status(connection, response).ok();
    }
    grpc::ByteBuffer response;
    return call_health_check(connection, response).ok();
}

// The frontend listens before the engine is wired in; until then a call may be refused.
bool wait_until_ready(envmgr::tests::DaemonChild& daemon_process, const std::filesystem::path& socket_path,
                      const std::string& target) {
    const auto deadline = Clock::now() + 20s;
    while (!envmgr::tests::unix_socket_accepts(socket_path.string())) {
        if (!daemon_process.running() || Clock::now() > deadline) return false;
        std::this_thread::sleep_for(20ms);
    }
    Connection probe(open_channel(target, -1));
    while (Clock::now() < deadline) {
        if (!daemon_process.running()) return false;
        pb::ServicesStatusResponse response;
        if (call_services_status(probe, response).ok()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

bool start_redis(Connection& connection) {
    grpc::ClientContext context;
    context.AddMetadata(kTenantKey, kTenant);
    context.set_deadline(std::chrono::system_clock::now() + 120s);
    pb::StartServicesRequest request;
    request.add_service_names(kService);
    auto reader = connection.stub->StartServices(&context, request);
    pb::ServiceStatusUpdate update;
    std::string last_state;
    while (reader->Read(&update)) last_state = update.status();
    const grpc::Status finished = reader->Finish();
    if (!finished.ok()) {
        std::printf("StartServices(redis) failed: %s\n", finished.error_message().c_str());
        return false;
    }
    if (last_state != "healthy") {
        std::printf("StartServices(redis) ended with redis '%s', not healthy\n", last_state.c_str());
        return false;
    }
    return true;
}

// Both RPCs answer as they should before either is measured.
bool check_answers(Connection& connection) {
    pb::ServicesStatusResponse status;
    if (const auto answered = call_services_status(connection, status); !answered.ok()) {
        std::printf("GetServicesStatus failed: %s\n", answered.error_message().c_str());
        return false;
    }
    const auto redis = status.services().find(std::string(kService));
    std::printf("GetServicesStatus answers %d services of tenant %s; redis is %s\n", status.services_size(),
                kTenant, redis == status.services().end() ? "absent" : redis->second.status().c_str());
    grpc::ByteBuffer health;
    if (const auto answered = call_health_check(connection, health); !answered.ok()) {
        std::printf("grpc.health.v1.Health/Check failed: %s\n", answered.error_message().c_str());
        return false;
    }
    // HealthCheckResponse{status: SERVING}: field 1 as a varint, value 1.
    grpc::Slice bytes;
    if (!health.DumpToSingleSlice(&bytes).ok() || bytes.size() != 2 || bytes.begin()[0] != 0x08 ||
        bytes.begin()[1] != 0x01) {
        std::printf("grpc.health.v1.Health/Check did not answer SERVING\n");
        return false;
    }
    return true;
}

struct Percentiles {
    double p50 = 0;
    double p99 = 0;
    double max = 0;
};

Percentiles percentiles_of(std::vector<double> values) {
    if (values.empty()) return {};
    std::sort(values.begin(), values.end());
    const auto at = [&values](double fraction) {
        const auto position = static_cast<std::size_t>(fraction * static_cast<double>(values.size()));
        return values[std::min(position, values.size() - 1)];
    };
    return {at(0.50), at(0.99), values.back()};
}

struct UnaryFigures {
    Percentiles latency_ms;
    double calls_per_second = 0;
    std::size_t errors = 0;
};

// Every client (a thread, on the connection given for it) calls back to back for `duration`;
// all start together. Failed calls are counted apart from the latencies.
UnaryFigures measure_unary(const std::vector<Connection*>& clients, Rpc rpc, std::chrono::seconds duration) {
    std::vector<std::vector<double>> latencies(clients.size());
    std::vector<std::size_t> errors(clients.size(), 0);
    std::promise<Clock::time_point> go;
    const std::shared_future<Clock::time_point> deadline = go.get_future().share();
    std::vector<std::thread> threads;
    threads.reserve(clients.size());
    for (std::size_t i = 0; i < clients.size(); ++i) {
        threads.emplace_back([&latencies, &errors, &clients, deadline, rpc, i] {
            auto& mine = latencies[i];
            mine.reserve(8192);
            const auto end = deadline.get();
            while (Clock::now() < end) {
                const auto began = Clock::now();
                const bool ok = call_rpc(*clients[i], rpc);
                const double took = Millis(Clock::now() - began).count();
                if (ok) {
                    mine.push_back(took);
                } else {
                    ++errors[i];
                }
            }
        });
    }
    go.set_value(Clock::now() + duration);
    for (auto& thread : threads) thread.join();
    UnaryFigures figures;
    std::vector<double> all;
    for (const auto& some : latencies) all.insert(all.end(), some.begin(), some.end());
    for (const auto count : errors) figures.errors += count;
    figures.calls_per_second =
        static_cast<double>(all.size()) / std::chrono::duration<double>(duration).count();
    figures.latency_ms = percentiles_of(std::move(all));
    return figures;
}

// Connections made, first calls paid and the server's code paths warm before anything is timed.
void warm_up(const std::vector<Connection*>& clients) {
    for (auto* connection : clients) {
        for (int i = 0; i < 20; ++i) {
            call_rpc(*connection, Rpc::services_status);
            call_rpc(*connection, Rpc::health_check);
        }
    }
}

void print_unary(const char* rpc, const char* clients, const UnaryFigures& figures) {
    std::printf("%s, %s: p50 %.3f ms p99 %.3f ms max %.3f ms; %.0f calls/s", rpc, clients,
                figures.latency_ms.p50, figures.latency_ms.p99, figures.latency_ms.max,
                figures.calls_per_second);
    if (figures.errors > 0) std::printf(" (%zu calls failed)", figures.errors);
    std::printf("\n");
}

double ratio(double ours, double baseline) {
    return baseline > 0 ? ours / baseline : 0;
}

void compare_unary(const char* clients_label, const std::vector<Connection*>& clients,
                   std::chrono::seconds duration) {
    warm_up(clients);
    const UnaryFigures status = measure_unary(clients, Rpc::services_status, duration);
    print_unary("GetServicesStatus", clients_label, status);
    const UnaryFigures health = measure_unary(clients, Rpc::health_check, duration);
    print_unary("grpc.health.v1.Health/Check", clients_label, health);
    std::printf("  ratio GetServicesStatus / Health/Check, %s: p50 %.2fx p99 %.2fx, throughput %.2fx\n",
                clients_label, ratio(status.latency_ms.p50, health.latency_ms.p50),
                ratio(status.latency_ms.p99, health.latency_ms.p99),
                ratio(status.calls_per_second, health.calls_per_second));
}

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

// 50 clients with a connection each: opened here and closed before the streams are measured, so
// that they do not count in the daemon's memory then.
void compare_unary_on_own_channels(const std::string& target, std::chrono::seconds duration) {
    std::vector<std::unique_ptr<Connection>> connections;
    std::vector<Connection*> clients;
    connections.reserve(kManyClients);
    clients.reserve(kManyClients);
    for (std::size_t i = 0; i < kManyClients; ++i) {
        connections.push_back(std::make_unique<Connection>(open_channel(target, static_cast<int>(1 + i))));
        clients.push_back(connections.back().get());
    }
    compare_unary("50 clients, a channel each", clients, duration);
}

void measure_stream_fan_out(const std::string& target, pid_t daemon_pid) {
    HealthFanOut fan_out(target, daemon_pid);
    if (fan_out.open_streams()) fan_out.measure_one_change();
    fan_out.cancel_streams();
}

int run_benchmark(const std::filesystem::path& scratch, std::chrono::seconds duration) {
    const auto config_path = scratch / "env-manager.toml";
    const auto socket_path = scratch / "grpc.sock";
    const auto log_path = scratch / "daemon.log";
    const std::string target = "unix:" + socket_path.string();
    if (!write_file(config_path, bench_config())) {
        std::printf("cannot write %s\n", config_path.c_str());
        return 1;
    }
    // DOCKER_HOST is kept: the docker CLI this program runs must reach the daemon's engine.
    envmgr::tests::DaemonChild daemon_process;
    const auto failed = daemon_process.spawn(ENVMGR_DAEMON_BINARY,
                                             {{"ENV_MANAGER_CONFIG", config_path.string()},
                                              {"ENV_MANAGER_PLUGIN_PATH", ENVMGR_DEFAULT_PLUGIN_DIR},
                                              {"ENV_MANAGER_GRPC_ADDR", target}},
                                             log_path);
    if (!failed.empty()) {
        std::printf("%s\n", failed.c_str());
        return 1;
    }
    if (!wait_until_ready(daemon_process, socket_path, target)) {
        std::printf("the daemon did not answer on %s within 20 s\n", target.c_str());
        return 1;
    }
    std::printf(
        "daemon pid %d on %s; %lld s per unary measurement; %u cores shared by the clients and "
        "the daemon\n",
        daemon_process.pid(), target.c_str(), static_cast<long long>(duration.count()),
        std::thread::hardware_concurrency());
    Connection shared(open_channel(target, 0));
    if (!start_redis(shared) || !check_answers(shared)) return 1;
    compare_unary("1 client", {&shared}, duration);
    compare_unary_on_own_channels(target, duration);
    compare_unary("50 clients, one shared channel", std::vector<Connection*>(kManyClients, &shared),
                  duration);
    measure_stream_fan_out(target, daemon_process.pid());
    const auto began = Clock::now();
    const auto stopped = daemon_process.stop(60s);
    std::printf("daemon stopped in %.1f s, exit status %d\n", Millis(Clock::now() - began).count() / 1000,
                stopped && WIFEXITED(*stopped) ? WEXITSTATUS(*stopped) : -1);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const int seconds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is known
    if (!run_quietly("docker version")) {
        std::printf("no Docker engine: start the test-bed (scripts/testbed.sh up)\n");
        return 1;
    }
    const auto scratch = std::optional(envmgr::tests::make_scratch_dir("envmgr-grpcbench-"));
    remove_bench_tenant();
    const int result = run_benchmark(*scratch, std::chrono::seconds(seconds));
    remove_bench_tenant();
    if (result == 0) {
        std::error_code ignored;
        std::filesystem::remove_all(*scratch, ignored);
    } else {
        std::printf("the daemon's log and config are kept in %s\n", scratch->c_str());
    }
    return result;
}
