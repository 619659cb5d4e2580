// The gRPC frontend against the real daemon, started here as a child process with a tenant of
// its own (grpcbench, redis only started), against baselines measured in the same run:
//  - GetServicesStatus latency and throughput with 1 client, 50 clients on a channel each and 50
//    clients on one shared channel, each against the standard grpc.health.v1.Health/Check served
//    by the same daemon on the same channels (the floor of a unary call there), both called with
//    raw bytes (the client parses neither answer); printed as ratios;
//  - StreamHealth fan-out: 1000 streams over 8 connections, one change (the redis container is
//    killed); latency from the kill to each stream's healthy=false, and the spread from the first
//    stream's receipt to each one's (the fan-out without the engine's event delay);
//  - the daemon's resident memory idle, with the 1000 streams open, and 1 s after cancelling them.
// Needs the test-bed (scripts/testbed.sh up). Usage: build/release/bin/grpc_bench [seconds]
// (seconds per unary measurement, default 5).
#include "bench/grpc_bench_common.h"
#include "bench/grpc_bench_fan_out.h"
#include "env_manager/v1/env_manager.grpc.pb.h"
#include "tests/support/daemon_child.h"

#include <grpcpp/client_context.h>
#include <grpcpp/impl/client_unary_call.h>
#include <grpcpp/impl/rpc_method.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

using namespace grpc_bench;

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

grpc::Status call_services_status(Connection& connection, pb::ServicesStatusResponse& response) {
    grpc::ClientContext context;
    prepare(context);
    return connection.stub->GetServicesStatus(&context, pb::GetServicesStatusRequest(), &response);
}

// The path the generated synchronous stub takes, with raw bytes: an empty request (for the
// health check: service "", the server as a whole; for the status: every service) is zero
// bytes. The buffer is made of one empty slice: a default ByteBuffer would send no message.
grpc::Status call_raw(Connection& connection, const grpc::internal::RpcMethod& method,
                      grpc::ByteBuffer& response) {
    grpc::ClientContext context;
    prepare(context);
    const grpc::Slice nothing;
    const grpc::ByteBuffer request(&nothing, 1);
    return grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
        connection.channel.get(), method, &context, request, &response);
}

grpc::Status call_health_check(Connection& connection, grpc::ByteBuffer& response) {
    return call_raw(connection, connection.health_check, response);
}

enum class Rpc { services_status, health_check };

bool call_rpc(Connection& connection, Rpc rpc) {
    grpc::ByteBuffer response;
    return call_raw(connection,
                    rpc == Rpc::services_status ? connection.services_status : connection.health_check,
                    response)
        .ok();
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
