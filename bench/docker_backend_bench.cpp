// How much backend.docker adds over the raw Engine API, measured in one run on one engine:
// container inspect and a create+start+stop+remove cycle, each done by
//   raw:        a plain synchronous HTTP/1.1 client on a keep-alive unix socket connection
//               (request bytes in, response bytes out, nothing else);
//   raw+parse:  the same client, also parsing each answer with nlohmann::json, as any client
//               that uses the answer must;
//   python:     a tiny Python client (bench/raw_python_client.py: http.client + json.loads);
//   plugin:     the real backend.docker plugin, loaded by the host and called through the ABI,
//               by an asynchronous caller (each call started from the previous one's
//               completion, as the host's scheduler calls backends) and by a blocking caller
//               (each call waited for on the calling thread).
// A blocking caller also pays for handing the call to the plugin's thread and back; that
// cost alone (post to an idle io thread, wait for it) is measured in the same run too.
// Runs alternate in rounds so that machine noise hits all alike. Prints medians, rates and
// ratios. Needs the test-bed (scripts/testbed.sh up).
// "--profile N" makes only N blocking plugin inspects, for perf and strace.
#include "host/config/config_loader.h"
#include "host/loader/host_context.h"
#include "host/loader/plugin_manager.h"
#include "host/metrics/metrics_registry.h"

#include <envmgr/sdk/async_call.h>

#include <spdlog/sinks/null_sink.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;
using Micros = std::chrono::duration<double, std::micro>;

constexpr const char* kImage = "envmgr-test/busybox:latest";

// CPU time of this process (all threads, user + system), in microseconds.
double process_cpu_micros() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto micros = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec);
    };
    return micros(usage.ru_utime) + micros(usage.ru_stime);
}

class RawClient {
public:
    explicit RawClient(const std::string& socket_path) : socket_(io_) {
        socket_.connect(boost::asio::local::stream_protocol::endpoint(socket_path));
    }

    unsigned request(http::verb method, const std::string& target, const std::string& body = {}) {
        http::request<http::string_body> req{method, target, 11};
        req.set(http::field::host, "docker");
        if (!body.empty()) {
            req.set(http::field::content_type, "application/json");
            req.body() = body;
        }
        req.prepare_payload();
        http::write(socket_, req);
        http::response<http::string_body> res;
        http::read(socket_, buffer_, res);
        last_body_ = std::move(res.body());
        return res.result_int();
    }
    const std::string& body() const { return last_body_; }

private:
    boost::asio::io_context io_;
    boost::asio::local::stream_protocol::socket socket_;
    boost::beast::flat_buffer buffer_;
    std::string last_body_;
};

class PluginClient {
public:
    PluginClient() {
        auto logger =
            std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
        envmgr::host::loader::HostServices services;
        services.metrics = &metrics_;
        manager_ = std::make_unique<envmgr::host::loader::PluginManager>(services, logger);
        manager_->discover({ENVMGR_DEFAULT_PLUGIN_DIR});
        manager_->create_all(
            envmgr::host::config::load_config(envmgr::host::config::map_environment({})).config,
            envmgr::host::config::map_environment({}));
        context_ = envmgr::host::loader::make_host_context("bench", logger, services);
        context_->services.active_backend = [this] { return manager_->active_backend(); };
        if (!manager_->active_backend()) throw std::runtime_error("backend.docker did not load");
    }
    ~PluginClient() { manager_->stop_all(std::chrono::seconds(5)); }

    // count sequential calls, each started from the previous one's completion (on the
    // plugin's thread): an asynchronous caller that chains engine calls, with no thread
    // handoff per call. Returns the microseconds of each.
    std::vector<double> chained(const std::string& operation, const std::string& request, int count) {
        struct Chain {
            PluginClient* client;
            std::string operation, request;
            int left;
            std::vector<double> samples;
            Clock::time_point started;
            std::promise<void> finished;
            void next() {
                started = Clock::now();
                const auto callbacks = envmgr::sdk::make_callbacks([this](const envmgr::sdk::Result& result) {
                    samples.push_back(Micros(Clock::now() - started).count());
                    if (!result.ok() || --left == 0) {
                        finished.set_value();
                        return;
                    }
                    next();
                });
                client->context_->api.backend_invoke(client->context_.get(), operation.c_str(),
                                                     request.c_str(), &callbacks);
            }
        };
        Chain chain{this, operation, request, count, {}, {}, {}};
        auto done = chain.finished.get_future();
        chain.next();
        done.wait();
        return chain.samples;
    }

    envmgr::sdk::Result call(const std::string& operation, const std::string& request) {
        std::promise<envmgr::sdk::Result> done;
        auto future = done.get_future();
        const auto callbacks = envmgr::sdk::make_callbacks(
            [&done](envmgr::sdk::Result result) { done.set_value(std::move(result)); });
        context_->api.backend_invoke(context_.get(), operation.c_str(), request.c_str(), &callbacks);
        auto result = future.get();
        if (!result.ok()) throw std::runtime_error(operation + ": " + result.payload);
        return result;
    }

private:
    envmgr::host::metrics::MetricsRegistry metrics_;
    std::unique_ptr<envmgr::host::loader::PluginManager> manager_;
    std::unique_ptr<envmgr_host_context> context_;
};

double median(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

template <typename Fn>
std::vector<double> time_each(int count, Fn&& fn) {
    std::vector<double> samples;
    samples.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const auto start = Clock::now();
        fn(i);
        samples.push_back(Micros(Clock::now() - start).count());
    }
    return samples;
}

double python_median(const std::string& mode, const std::string& arg, int count) {
    const std::string command = "/usr/bin/python3 " + std::string(ENVMGR_BENCH_DIR) +
                                "/raw_python_client.py " + mode + " " + arg + " " + std::to_string(count);
    std::FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return 0;
    char line[64] = {};
    const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
    pclose(pipe);
    return read ? std::atof(line) : 0;
}

// The cost of handing work to another (idle) thread and waiting for it: two thread wake-ups.
std::vector<double> thread_handoffs(int count) {
    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);
    std::thread runner([&io] { io.run(); });
    auto samples = time_each(count, [&](int) {
        std::promise<void> done;
        auto finished = done.get_future();
        boost::asio::post(io, [&done] { done.set_value(); });
        finished.wait();
    });
    work.reset();
    runner.join();
    return samples;
}

double rate(const std::vector<double>& samples) {
    double total = 0;
    for (double v : samples) total += v;
    return 1e6 * static_cast<double>(samples.size()) / total;
}

struct Row {
    const char* what;
    std::vector<double> plugin;
    std::vector<double> raw;
    std::vector<double> parsed;  // empty: not measured
    double python;               // median
};

void report(const std::vector<Row>& rows) {
    std::printf("%-34s %20s %20s %20s %10s | %9s %9s %9s\n", "median us (calls/s)", "plugin", "raw",
                "raw+parse", "python", "/raw", "/raw+pars", "/python");
    for (const auto& row : rows) {
        const double plugin = median(row.plugin);
        const double raw = median(row.raw);
        const double parsed = row.parsed.empty() ? 0 : median(row.parsed);
        char parsed_text[32] = "-";
        char parsed_ratio[16] = "-";
        if (!row.parsed.empty()) {
            std::snprintf(parsed_text, sizeof parsed_text, "%9.1f (%7.1f)", parsed, rate(row.parsed));
            std::snprintf(parsed_ratio, sizeof parsed_ratio, "%.3f", plugin / parsed);
        }
        std::printf("%-34s %9.1f (%7.1f) %9.1f (%7.1f) %20s %10.1f | %9.3f %9s %9.3f\n", row.what, plugin,
                    rate(row.plugin), raw, rate(row.raw), parsed_text, row.python, plugin / raw, parsed_ratio,
                    plugin / row.python);
    }
}

}  // namespace

int main(int argc, char** argv) {
    // "--profile N": only N blocking plugin inspects of a running container, for perf/strace.
    const bool profile = argc > 2 && std::string(argv[1]) == "--profile";
    const int rounds = profile ? 0 : argc > 1 ? std::atoi(argv[1]) : 5;
    const int inspects_per_round = 400;
    const int cycles_per_round = 6;
    try {
        RawClient raw("/var/run/docker.sock");
        PluginClient plugin;

        // A running container to inspect.
        const std::string target = "envmgr-bench-inspect";
        raw.request(http::verb::delete_, "/v1.41/containers/" + target + "?force=1");
        if (raw.request(
                http::verb::post, "/v1.41/containers/create?name=" + target,
                R"({"Image":")" + std::string(kImage) +
                    R"(","Cmd":["sleep","600"],"Labels":{"envmgr.test":"1"},"HostConfig":{"Init":true}})") !=
            201) {
            throw std::runtime_error("cannot create the bench container: " + raw.body());
        }
        raw.request(http::verb::post, "/v1.41/containers/" + target + "/start");
        const std::string inspect_request = R"({"id":")" + target + R"("})";
        plugin.call("container.inspect", inspect_request);  // negotiate and warm up both paths
        raw.request(http::verb::get, "/v1.41/containers/" + target + "/json");

        if (profile) {
            const auto samples = time_each(std::atoi(argv[2]),
                                           [&](int) { plugin.call("container.inspect", inspect_request); });
            raw.request(http::verb::delete_, "/v1.41/containers/" + target + "?force=1");
            std::printf("plugin container.inspect: median %.1f us over %zu calls\n", median(samples),
                        samples.size());
            return 0;
        }
        std::vector<double> raw_inspect, parsed_inspect, plugin_inspect, raw_cycle, plugin_cycle;
        std::vector<double> python_inspect, python_cycle, chained_inspect, handoffs;
        // CPU time of this process per inspect (all threads): what each client costs the
        // machine, whatever the scheduler does with the wake-ups.
        double raw_cpu = 0, parsed_cpu = 0, plugin_cpu = 0, chained_cpu = 0;
        const auto with_cpu = [](double& cpu, auto&& fn) {
            const double before = process_cpu_micros();
            fn();
            cpu += process_cpu_micros() - before;
        };
        for (int round = 0; round < rounds; ++round) {
            with_cpu(raw_cpu, [&] {
                for (double v : time_each(inspects_per_round, [&](int) {
                         raw.request(http::verb::get, "/v1.41/containers/" + target + "/json");
                     })) {
                    raw_inspect.push_back(v);
                }
            });
            with_cpu(parsed_cpu, [&] {
                for (double v : time_each(inspects_per_round, [&](int) {
                         raw.request(http::verb::get, "/v1.41/containers/" + target + "/json");
                         const auto doc = nlohmann::json::parse(raw.body());
                         if (!doc.contains("Id")) throw std::runtime_error("inspect without Id");
                     })) {
                    parsed_inspect.push_back(v);
                }
            });
            with_cpu(plugin_cpu, [&] {
                for (double v : time_each(inspects_per_round,
                                          [&](int) { plugin.call("container.inspect", inspect_request); })) {
                    plugin_inspect.push_back(v);
                }
            });
            with_cpu(chained_cpu, [&] {
                for (double v : plugin.chained("container.inspect", inspect_request, inspects_per_round)) {
                    chained_inspect.push_back(v);
                }
            });
            python_inspect.push_back(python_median("inspect", target, inspects_per_round));
            for (double v : thread_handoffs(inspects_per_round)) handoffs.push_back(v);
            for (
                double v : time_each(cycles_per_round, [&](int i) {
                    const std::string name =
                        "envmgr-bench-raw-" + std::to_string(round) + "-" + std::to_string(i);
                    raw.request(
                        http::verb::post, "/v1.41/containers/create?name=" + name,
                        R"({"Image":")" + std::string(kImage) +
                            R"(","Cmd":["sleep","60"],"Labels":{"envmgr.test":"1"},"HostConfig":{"Init":true}})");
                    raw.request(http::verb::post, "/v1.41/containers/" + name + "/start");
                    raw.request(http::verb::post, "/v1.41/containers/" + name + "/stop?t=10");
                    raw.request(http::verb::delete_, "/v1.41/containers/" + name);
                })) {
                raw_cycle.push_back(v);
            }
            for (
                double v : time_each(cycles_per_round, [&](int i) {
                    const std::string name =
                        "envmgr-bench-plugin-" + std::to_string(round) + "-" + std::to_string(i);
                    plugin.call(
                        "container.create",
                        R"({"spec":{"name":")" + name + R"(","image":")" + kImage +
                            R"(","command":["sleep","60"],"labels":{"envmgr.test":"1"},"init":true,"restart_policy":"no"}})");
                    plugin.call("container.start", R"({"id":")" + name + R"("})");
                    plugin.call("container.stop", R"({"id":")" + name + R"(","timeout_seconds":10})");
                    plugin.call("container.remove", R"({"id":")" + name + R"("})");
                })) {
                plugin_cycle.push_back(v);
            }
            python_cycle.push_back(python_median("cycle", kImage, cycles_per_round));
        }
        raw.request(http::verb::delete_, "/v1.41/containers/" + target + "?force=1");

        std::printf("backend.docker vs the raw Engine API, %d rounds, unix:///var/run/docker.sock\n", rounds);
        report({{"inspect, asynchronous caller", chained_inspect, raw_inspect, parsed_inspect,
                 median(python_inspect)},
                {"inspect, blocking caller", plugin_inspect, raw_inspect, parsed_inspect,
                 median(python_inspect)},
                {"create+start+stop+remove, blocking", plugin_cycle, raw_cycle, {}, median(python_cycle)}});
        const double calls = static_cast<double>(rounds) * inspects_per_round;
        std::printf(
            "CPU per inspect (this process, all threads): plugin asynchronous %.1f us, blocking %.1f us; raw "
            "%.1f us, raw+parse %.1f us\n",
            chained_cpu / calls, plugin_cpu / calls, raw_cpu / calls, parsed_cpu / calls);
        std::printf(
            "thread handoff (post to an idle thread, wait for it): %.1f us; blocking minus asynchronous "
            "plugin inspect: %.1f us\n",
            median(handoffs), median(plugin_inspect) - median(chained_inspect));
        std::printf(
            "note: plugin stop also inspects the container once (to report SIGKILL); raw does not.\n");
    } catch (const std::exception& e) {
        std::cerr << "bench failed: " << e.what() << "\n(start the test-bed: scripts/testbed.sh up)\n";
        return 1;
    }
    return 0;
}
