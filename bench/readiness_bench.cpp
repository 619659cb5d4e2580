// Readiness detection and probe costs, against baselines measured in the same run.
//
//   readiness_bench [runs]          (default 50)
//
// 1. Detection latency: a server starts accepting after a random delay; how long until the
//    health supervisor (the real probe.tcp plugin, default timings) publishes "ready", beside a
//    fixed-interval poller of 1 s (a compose healthcheck) and one of 500 ms (compose's best
//    setting), each watching its own copy of the same server started at the same moment.
// 2. Probe cost: CPU time of this process per 1,000 checks of tcp and http (loopback peers),
//    and of exec against the test-bed's engine (where one answers) with the machine's CPU too:
//    an exec's work is mostly the engine's.
// 3. The supervisor's CPU with 200 watched, ready services in steady state (5 s interval).
#include "host/config/config_loader.h"
#include "host/events/event_bus.h"
#include "host/health/health_supervisor.h"
#include "host/health/plugin_probe_runner.h"
#include "host/loader/plugin_manager.h"
#include "tests/support/loopback_server.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <spdlog/sinks/null_sink.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using envmgr::tests::LoopbackServer;
using Clock = std::chrono::steady_clock;
using Millis = std::chrono::duration<double, std::milli>;
namespace health = envmgr::host::health;
namespace loader = envmgr::host::loader;

double process_cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Busy jiffies of the whole machine (all CPUs), from /proc/stat.
double machine_cpu_seconds() {
    std::ifstream stat("/proc/stat");
    std::string cpu;
    double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    return (user + nice + system + irq + softirq + steal) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(std::lround(p * static_cast<double>(values.size() - 1)));
    return values[std::min(index, values.size() - 1)];
}

// The daemon's health parts with the default plugins.
struct Daemon {
    Daemon() : work(boost::asio::make_work_guard(io)), bus(io.get_executor()) {
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
        loader::HostServices services;
        services.executor = io.get_executor();
        services.metrics = &metrics;
        services.event_bus = &bus;
        auto logger =
            std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
        manager = std::make_unique<loader::PluginManager>(services, logger);
        manager->discover({ENVMGR_DEFAULT_PLUGIN_DIR});
        const auto environment = envmgr::host::config::map_environment({});
        manager->create_all(envmgr::host::config::load_config(environment).config, environment);
        manager->start_all();
        runner = std::make_unique<health::PluginProbeRunner>(*manager);
        supervisor = std::make_unique<health::HealthSupervisor>(io.get_executor(), *runner,
                                                                health::SupervisorSettings{}, &bus, logger);
        supervisor->subscribe([this](const health::HealthTransition& t) {
            const std::lock_guard lock(mutex);
            ready_at[t.container_id] = t.at;
            changed.notify_all();
        });
    }
    ~Daemon() {
        supervisor->stop();
        supervisor.reset();
        manager->stop_all(5s);
        work.reset();
        for (auto& thread : threads) thread.join();
    }
    std::optional<Clock::time_point> wait_ready(const std::string& id, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex);
        changed.wait_for(lock, timeout, [&] { return ready_at.contains(id); });
        const auto it = ready_at.find(id);
        return it == ready_at.end() ? std::nullopt : std::optional(it->second);
    }

    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
    std::vector<std::thread> threads;
    envmgr::host::metrics::MetricsRegistry metrics;
    envmgr::host::events::EventBus bus;
    std::unique_ptr<loader::PluginManager> manager;
    std::unique_ptr<health::PluginProbeRunner> runner;
    std::unique_ptr<health::HealthSupervisor> supervisor;
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::string, Clock::time_point> ready_at;
};

health::WatchTarget loopback_target(const std::string& id, std::uint16_t port) {
    health::WatchTarget target;
    target.tenant = "bench";
    target.service = id;
    target.container_id = id;
    target.container_ip = "127.0.0.1";
    envmgr::sdk::ProbeSpec probe;
    probe.type = "tcp";
    probe.port = port;
    target.probes = {probe};
    return target;
}

// A poller that connects every `interval`, the first time one interval after the start: what a
// compose healthcheck does. Returns when the connection succeeded.
Clock::time_point poll_every(std::chrono::milliseconds interval, std::uint16_t port,
                             Clock::time_point started) {
    boost::asio::io_context io;
    for (auto next = started + interval;; next += interval) {
        std::this_thread::sleep_until(next);
        boost::asio::ip::tcp::socket socket(io);
        boost::system::error_code ec;
        socket.connect({boost::asio::ip::address_v4::loopback(), port}, ec);
        if (!ec) return Clock::now();
    }
}

void detection_latency(int runs) {
    std::mt19937 random(12345);
    std::uniform_int_distribution<int> delay_ms(100, 1500);
    std::vector<double> ours, every_1s, every_500ms;
    Daemon daemon;
    for (int run = 0; run < runs; ++run) {
        LoopbackServer a(LoopbackServer::Behaviour::close_at_once);
        LoopbackServer b(LoopbackServer::Behaviour::close_at_once);
        LoopbackServer c(LoopbackServer::Behaviour::close_at_once);
        const auto started = Clock::now();
        auto target = loopback_target("run-" + std::to_string(run), a.port());
        target.started = started;
        const auto watch = daemon.supervisor->watch(target);
        auto slow = std::async(std::launch::async, [&] { return poll_every(1000ms, b.port(), started); });
        auto medium = std::async(std::launch::async, [&] { return poll_every(500ms, c.port(), started); });
        std::this_thread::sleep_until(started + std::chrono::milliseconds(delay_ms(random)));
        a.start();
        b.start();
        c.start();
        const auto ready = daemon.wait_ready(target.container_id, 10s);
        if (ready) ours.push_back(Millis(*ready - a.started_at()).count());
        every_1s.push_back(Millis(slow.get() - b.started_at()).count());
        every_500ms.push_back(Millis(medium.get() - c.started_at()).count());
        daemon.supervisor->unwatch(watch);
    }
    const auto row = [](const char* name, const std::vector<double>& v, double base) {
        std::printf("  %-34s median %7.1f ms  p95 %7.1f ms  (median / env-manager: %.1fx)\n", name,
                    percentile(v, 0.5), percentile(v, 0.95), percentile(v, 0.5) / base);
    };
    std::printf("readiness detection: server starts accepting -> ready (%d runs, start delays 100-1500 ms)\n",
                runs);
    const double base = percentile(ours, 0.5);
    row("env-manager supervisor + probe.tcp", ours, base);
    row("fixed 500 ms poller", every_500ms, base);
    row("fixed 1 s poller (compose default)", every_1s, base);
}

// Peers in a process of their own, so that the CPU measured here is the supervisor's and the
// probes' only. Forked before this process starts any thread.
struct PeerProcess {
    pid_t pid = -1;
    int keep_alive = -1;               // closing it ends the peers
    std::vector<std::uint16_t> ports;  // answer a RESP PING with +PONG
    std::uint16_t http_port = 0;       // answers 200
};

PeerProcess spawn_peers(int count) {
    int ports_pipe[2];
    int alive_pipe[2];
    if (pipe(ports_pipe) != 0 || pipe(alive_pipe) != 0) return {};
    const pid_t pid = fork();
    if (pid == 0) {
        close(ports_pipe[0]);
        close(alive_pipe[1]);
        std::vector<std::unique_ptr<LoopbackServer>> servers;
        std::string ports;
        for (int i = 0; i < count; ++i) {
            servers.push_back(std::make_unique<LoopbackServer>(LoopbackServer::Behaviour::answer,
                                                               std::vector<std::string>{"+PONG\r\n"}));
            servers.back()->start();
            ports += std::to_string(servers.back()->port()) + "\n";
        }
        // The last one answers HTTP, for the http probe's cost.
        servers.push_back(std::make_unique<LoopbackServer>(
            LoopbackServer::Behaviour::answer,
            std::vector<std::string>{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"}));
        servers.back()->start();
        ports += std::to_string(servers.back()->port()) + "\n";
        if (write(ports_pipe[1], ports.data(), ports.size()) < 0) _exit(1);
        close(ports_pipe[1]);
        char byte = 0;
        while (read(alive_pipe[0], &byte, 1) > 0) {
        }
        _exit(0);
    }
    close(ports_pipe[1]);
    close(alive_pipe[0]);
    PeerProcess peers{pid, alive_pipe[1], {}};
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(ports_pipe[0], buffer, sizeof buffer)) > 0;) {
        text.append(buffer, static_cast<std::size_t>(n));
    }
    close(ports_pipe[0]);
    std::istringstream lines(text);
    for (int port; lines >> port;) peers.ports.push_back(static_cast<std::uint16_t>(port));
    if (!peers.ports.empty()) {
        peers.http_port = peers.ports.back();
        peers.ports.pop_back();
    }
    return peers;
}

// CPU of this process (and of the machine) per 1,000 checks run one after another.
void probe_cost(Daemon& daemon, const char* name, const envmgr::sdk::ProbeSpec& spec, int checks) {
    // Warm-up: connections, allocations.
    for (int i = 0; i < 5; ++i) {
        std::promise<void> done;
        daemon.runner->check(spec, [&](const health::CheckOutcome&) { done.set_value(); });
        done.get_future().wait();
    }
    const double cpu_before = process_cpu_seconds();
    const double machine_before = machine_cpu_seconds();
    const auto started = Clock::now();
    int healthy = 0;
    for (int i = 0; i < checks; ++i) {
        std::promise<bool> done;
        daemon.runner->check(
            spec, [&](const health::CheckOutcome& o) { done.set_value(o.ran && o.result.healthy); });
        healthy += done.get_future().get() ? 1 : 0;
    }
    const double wall = Millis(Clock::now() - started).count();
    const double scale = 1000.0 / checks;
    std::printf(
        "  %-6s %5d checks (%d healthy): %.1f ms wall per check; per 1,000 checks: %8.1f ms CPU here, %8.1f "
        "ms "
        "CPU machine-wide\n",
        name, checks, healthy, wall / checks, (process_cpu_seconds() - cpu_before) * 1000 * scale,
        (machine_cpu_seconds() - machine_before) * 1000 * scale);
}

// The engine's exec probe needs a running container: made with the raw backend call.
std::string start_exec_container(Daemon& daemon) {
    auto backend = daemon.manager->active_backend();
    if (!backend) return {};
    const auto call = [&](const std::string& op, const nlohmann::json& request) {
        std::promise<envmgr::sdk::Result> done;
        backend->invoke(op, request.dump(), [&](const envmgr::sdk::Result& r) { done.set_value(r); });
        return done.get_future().get();
    };
    if (!call("system.ping", {}).ok()) return {};
    const nlohmann::json spec{{"image", "envmgr-test/busybox:latest"},
                              {"command", {"sleep", "600"}},
                              {"init", true},
                              {"labels", {{"envmgr.test", "1"}}}};
    const auto created = call("container.create", {{"spec", spec}});
    if (!created.ok()) return {};
    std::string id = nlohmann::json::parse(created.payload).value("id", "");
    call("container.start", {{"id", id}});
    return id;
}

void remove_container(Daemon& daemon, const std::string& id) {
    auto backend = daemon.manager->active_backend();
    std::promise<void> done;
    backend->invoke("container.remove", nlohmann::json{{"id", id}, {"force", true}}.dump(),
                    [&](const envmgr::sdk::Result&) { done.set_value(); });
    done.get_future().wait();
}

void probe_costs(const PeerProcess& peers) {
    Daemon daemon;
    std::printf("probe cost (checks one after another, through the plugins; peers in another process):\n");
    envmgr::sdk::ProbeSpec tcp;
    tcp.type = "tcp";
    tcp.host = "127.0.0.1";
    tcp.port = peers.ports.at(0);
    tcp.send = "*1\r\n$4\r\nPING\r\n";
    tcp.expect = "+PONG";
    probe_cost(daemon, "tcp", tcp, 2000);
    envmgr::sdk::ProbeSpec http;
    http.type = "http";
    http.host = "127.0.0.1";
    http.port = peers.http_port;
    http.path = "/health";
    probe_cost(daemon, "http", http, 2000);
    const std::string container = start_exec_container(daemon);
    if (container.empty()) {
        std::printf("  exec   skipped: no Docker engine answers (scripts/testbed.sh up)\n");
        return;
    }
    envmgr::sdk::ProbeSpec exec;
    exec.type = "exec";
    exec.container_id = container;
    exec.command = {"true"};
    probe_cost(daemon, "exec", exec, 100);
    remove_container(daemon, container);
}

void supervisor_steady_state(const PeerProcess& peers, std::chrono::seconds window) {
    Daemon daemon;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < peers.ports.size(); ++i) {
        auto target = loopback_target("steady-" + std::to_string(i), peers.ports[i]);
        target.probes[0].send = "*1\r\n$4\r\nPING\r\n";
        target.probes[0].expect = "+PONG";
        ids.push_back(target.container_id);
        daemon.supervisor->watch(target);
    }
    int ready = 0;
    for (const auto& id : ids) ready += daemon.wait_ready(id, 10s) ? 1 : 0;
    std::this_thread::sleep_for(1s);
    const double cpu_before = process_cpu_seconds();
    const auto started = Clock::now();
    std::this_thread::sleep_for(window);
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    const double cpu = process_cpu_seconds() - cpu_before;
    std::printf(
        "supervisor steady state: %zu services (%d ready), PING every 5 s each, %.0f s window: %.2f%% of one "
        "core (the supervisor and probe.tcp; the peers run in another process)\n",
        peers.ports.size(), ready, seconds, 100.0 * cpu / seconds);
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
    auto peers = spawn_peers(200);  // first: before this process has any thread
    detection_latency(runs);
    probe_costs(peers);
    supervisor_steady_state(peers, 30s);
    close(peers.keep_alive);
    waitpid(peers.pid, nullptr, 0);
    return 0;
}
