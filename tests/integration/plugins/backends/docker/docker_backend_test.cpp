// backend.docker against the real engine of the test-bed (scripts/testbed.sh up).
#include "tests/support/backend_harness.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace envmgr::tests {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kBusybox = "envmgr-test/busybox:latest";

class DockerBackendTest : public ::testing::Test {
protected:
    void SetUp() override { require_engine(); }

    void TearDown() override {
        for (const auto& name : containers_) {
            backend_.call("container.remove", {{"id", name}, {"force", true}});
        }
        for (const auto& name : volumes_) {
            backend_.call("volume.remove", {{"name", name}, {"force", true}});
        }
        for (const auto& name : networks_) backend_.call("network.remove", {{"name", name}});
    }

    // Creates (and later removes) a busybox container running command.
    std::string create(const std::string& prefix, std::vector<std::string> command,
                       const json& extra = json::object()) {
        std::string name = unique_name(prefix);
        json spec{
            {"name", name}, {"image", kBusybox}, {"command", command}, {"labels", {{"envmgr.test", "1"}}}};
        spec.update(extra);
        const auto created = backend_.call("container.create", {{"spec", spec}});
        EXPECT_TRUE(created.ok()) << created.payload;
        containers_.push_back(name);
        return name;
    }

    CallResult start(const std::string& name) { return backend_.call("container.start", {{"id", name}}); }

    BackendHarness backend_;
    std::vector<std::string> containers_, volumes_, networks_;
};

TEST_F(DockerBackendTest, ContainerLifecycleWithPortsEnvLabelsVolumeAndBindMount) {
    const std::string volume = unique_name("vol");
    volumes_.push_back(volume);
    const auto bind_dir = std::filesystem::temp_directory_path() / unique_name("bind");
    std::filesystem::create_directories(bind_dir);
    std::ofstream(bind_dir / "hello.txt") << "from the host\n";

    const std::string name =
        create("lifecycle",
               {"sh", "-c", "mkdir -p /www && echo up > /www/index.html && exec httpd -f -p 8080 -h /www"},
               {{"env", {{"GREETING", "hi there"}}},
                {"labels", {{"envmgr.test", "1"}, {"env-manager.service", "web"}}},
                {"ports", {{{"container_port", 8080}, {"host_port", 0}}}},
                {"mounts",
                 {{{"type", "volume"}, {"source", volume}, {"target", "/data"}},
                  {{"type", "bind"}, {"source", bind_dir.string()}, {"target", "/host"}, {"read_only", true}},
                  {{"type", "tmpfs"}, {"target", "/scratch"}}}},
                {"init", true}});
    // Publish on an ephemeral loopback port: pick one the kernel gives us.
    ASSERT_TRUE(start(name).ok());

    const auto inspected = backend_.call("container.inspect", {{"id", name}});
    ASSERT_TRUE(inspected.ok()) << inspected.payload;
    const auto doc = inspected.json();
    EXPECT_EQ(doc["name"], name);
    EXPECT_EQ(doc["state"], "running");
    EXPECT_TRUE(doc["running"].get<bool>());
    EXPECT_EQ(doc["labels"]["env-manager.service"], "web");
    EXPECT_GT(doc["started_at"].get<std::int64_t>(), 1700000000);
    EXPECT_FALSE(doc["ip_address"].get<std::string>().empty());

    const auto env =
        backend_.call("container.exec", {{"id", name},
                                         {"command",
                                          {"sh", "-c",
                                           "echo $GREETING; cat /host/hello.txt; echo stored > /data/f; cat "
                                           "/data/f; touch /host/x 2>&1 || echo read-only"}}});
    ASSERT_TRUE(env.ok()) << env.payload;
    EXPECT_EQ(env.json()["exit_code"], 0);
    const std::string out = env.json()["stdout"];
    EXPECT_NE(out.find("hi there\n"), std::string::npos) << out;
    EXPECT_NE(out.find("from the host\n"), std::string::npos) << out;
    EXPECT_NE(out.find("stored\n"), std::string::npos) << out;
    EXPECT_NE(out.find("read-only"), std::string::npos) << out;

    const auto listed =
        backend_.call("container.list", {{"labels", {{"env-manager.service", "web"}, {"envmgr.test", "1"}}}});
    ASSERT_TRUE(listed.ok());
    bool found = false;
    const auto listing = listed.json();
    for (const auto& c : listing["containers"]) found = found || c["name"] == name;
    EXPECT_TRUE(found) << listed.payload;

    const auto stopped = backend_.call("container.stop", {{"id", name}, {"timeout_seconds", 5}});
    ASSERT_TRUE(stopped.ok()) << stopped.payload;
    EXPECT_FALSE(stopped.json()["killed"].get<bool>()) << "with init, SIGTERM should be enough";
    EXPECT_LT(stopped.elapsed, 3s);
    EXPECT_EQ(backend_.call("container.inspect", {{"id", name}}).json()["state"], "exited");

    ASSERT_TRUE(backend_.call("container.remove", {{"id", name}}).ok());
    EXPECT_EQ(backend_.call("container.inspect", {{"id", name}}).status, ENVMGR_STATUS_NOT_FOUND);
    // Removing a container never removes its named volume.
    EXPECT_TRUE(backend_.call("volume.inspect", {{"name", volume}}).ok());
    std::filesystem::remove_all(bind_dir);
}

TEST_F(DockerBackendTest, PublishedPortBindsTheRequestedHostAddress) {
    const std::string name =
        create("port", {"httpd", "-f", "-p", "8080", "-h", "/"},
               {{"ports", {{{"container_port", 8080}, {"host_port", 18181}, {"host_ip", "127.0.0.1"}}}}});
    ASSERT_TRUE(start(name).ok());
    const auto doc = backend_.call("container.inspect", {{"id", name}}).json();
    ASSERT_EQ(doc["ports"].size(), 1U) << doc.dump();
    EXPECT_EQ(doc["ports"][0]["container_port"], 8080);
    EXPECT_EQ(doc["ports"][0]["host_port"], 18181);
    EXPECT_EQ(doc["ports"][0]["host_ip"], "127.0.0.1");
}

TEST_F(DockerBackendTest, LogsAreDemultiplexedIntoStdoutAndStderr) {
    const std::string name =
        create("logs", {"sh", "-c", "echo out1; echo err1 >&2; sleep 0.1; echo out2; echo err2 >&2"});
    ASSERT_TRUE(start(name).ok());
    ASSERT_TRUE(backend_.call("container.wait", {{"id", name}}).ok());
    const auto logs = backend_.call("container.logs", {{"id", name}});
    ASSERT_TRUE(logs.ok()) << logs.payload;
    std::vector<std::string> out, err;
    for (const auto& item : logs.items) {
        (item["stream"] == "stdout" ? out : err).push_back(item["message"]);
        EXPECT_GT(item["timestamp"].get<std::int64_t>(), 1700000000);
    }
    EXPECT_EQ(out, (std::vector<std::string>{"out1", "out2"}));
    EXPECT_EQ(err, (std::vector<std::string>{"err1", "err2"}));

    const auto tail = backend_.call("container.logs", {{"id", name}, {"tail", 1}});
    ASSERT_EQ(tail.items.size(), 1U);
}

TEST_F(DockerBackendTest, LogsOfATtyContainerAreOneRawStream) {
    const std::string name = create("tty", {"sh", "-c", "echo first; echo second >&2"}, {{"tty", true}});
    ASSERT_TRUE(start(name).ok());
    ASSERT_TRUE(backend_.call("container.wait", {{"id", name}}).ok());
    const auto logs = backend_.call("container.logs", {{"id", name}});
    ASSERT_TRUE(logs.ok()) << logs.payload;
    std::vector<std::string> lines;
    for (const auto& item : logs.items) {
        EXPECT_EQ(item["stream"], "stdout");
        std::string message = item["message"];
        if (!message.empty() && message.back() == '\r') {
            message.pop_back();  // a terminal ends lines with CRLF
        }
        lines.push_back(message);
    }
    EXPECT_EQ(lines, (std::vector<std::string>{"first", "second"}));
}

TEST_F(DockerBackendTest, FollowedLogsArriveAsTheyAreWrittenAndEndWithTheContainer) {
    const std::string name =
        create("follow", {"sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.2; done"});
    ASSERT_TRUE(start(name).ok());
    auto stream = backend_.start_stream("container.logs", {{"id", name}, {"follow", true}});
    ASSERT_TRUE(stream->wait_for([](const json& item) { return item["message"] == "line1"; }, 5s));
    EXPECT_FALSE(stream->wait_done(100ms)) << "still following while the container runs";
    ASSERT_TRUE(stream->wait_for([](const json& item) { return item["message"] == "line3"; }, 5s));
    EXPECT_TRUE(stream->wait_done(5s)) << "follow ends when the container exits";
    EXPECT_EQ(stream->status(), ENVMGR_STATUS_OK);
}

TEST_F(DockerBackendTest, ExecReportsExitCodesOutputAndTimeouts) {
    const std::string name = create("exec", {"sleep", "60"}, {{"init", true}});
    ASSERT_TRUE(start(name).ok());
    const auto three = backend_.call(
        "container.exec", {{"id", name}, {"command", {"sh", "-c", "echo to-out; echo to-err >&2; exit 3"}}});
    ASSERT_TRUE(three.ok()) << three.payload;
    EXPECT_EQ(three.json()["exit_code"], 3);
    EXPECT_EQ(three.json()["stdout"], "to-out\n");
    EXPECT_EQ(three.json()["stderr"], "to-err\n");

    const auto zero = backend_.call("container.exec", {{"id", name}, {"command", {"true"}}});
    EXPECT_EQ(zero.json()["exit_code"], 0);

    const auto slow =
        backend_.call("container.exec", {{"id", name}, {"command", {"sleep", "5"}}, {"timeout_ms", 300}});
    EXPECT_EQ(slow.status, ENVMGR_STATUS_TIMEOUT);
    EXPECT_EQ(slow.payload.rfind("exec did not finish within 300 ms; ", 0), 0U) << slow.payload;
    EXPECT_LT(slow.elapsed, 2s);

    // A missing program is the command's failure, not the call's (backend-operations.md).
    const auto missing = backend_.call("container.exec", {{"id", name}, {"command", {"/no/such/program"}}});
    ASSERT_TRUE(missing.ok()) << missing.payload;
    const auto code = missing.json()["exit_code"].get<int>();
    EXPECT_TRUE(code == 126 || code == 127) << missing.payload;
    EXPECT_NE(missing.json()["stdout"].get<std::string>().find("/no/such/program"), std::string::npos)
        << missing.payload;
}

TEST_F(DockerBackendTest, ExecOutputThatIsNotUtf8IsDeliveredNotRefused) {
    const std::string name = create("binary", {"sleep", "60"}, {{"init", true}});
    ASSERT_TRUE(start(name).ok());
    const auto result =
        backend_.call("container.exec", {{"id", name}, {"command", {"printf", "ok\\377\\376"}}});
    ASSERT_TRUE(result.ok()) << result.payload;
    EXPECT_EQ(result.json()["stdout"].get<std::string>().substr(0, 2), "ok");
}

TEST_F(DockerBackendTest, CancelEndsALongOperationAtOnceAndDestroyDoesNotWait) {
    const std::string name = create("long-wait", {"sleep", "60"}, {{"init", true}});
    ASSERT_TRUE(start(name).ok());
    auto wait = backend_.start_stream("container.wait", {{"id", name}});
    std::this_thread::sleep_for(200ms);
    const auto cancelled_at = std::chrono::steady_clock::now();
    backend_.cancel(wait->id);
    ASSERT_TRUE(wait->wait_done(1s));
    EXPECT_EQ(wait->status(), ENVMGR_STATUS_CANCELLED);
    EXPECT_LT(std::chrono::steady_clock::now() - cancelled_at, 500ms);

    // A second backend with operations still in flight is destroyed promptly.
    const auto destroy_started = std::chrono::steady_clock::now();
    {
        BackendHarness other;
        auto pending_wait = other.start_stream("container.wait", {{"id", name}});
        auto pending_exec = other.start_stream(
            "container.exec", {{"id", name}, {"command", {"sleep", "30"}}, {"timeout_ms", 60000}});
        std::this_thread::sleep_for(300ms);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - destroy_started, 1s);
}

TEST_F(DockerBackendTest, StatsArePlausibleForABusyContainer) {
    const std::string name = create("stats", {"sh", "-c", "yes > /dev/null"}, {{"init", true}});
    ASSERT_TRUE(start(name).ok());
    std::this_thread::sleep_for(300ms);
    const auto stats = backend_.call("container.stats", {{"id", name}});
    ASSERT_TRUE(stats.ok()) << stats.payload;
    const auto usage = stats.json();
    EXPECT_GT(usage["cpu_percent"].get<double>(), 10.0) << usage.dump();
    EXPECT_LE(usage["cpu_percent"].get<double>(), 100.0 * std::thread::hardware_concurrency() + 5)
        << usage.dump();
    EXPECT_GT(usage["memory_bytes"].get<std::int64_t>(), 0) << usage.dump();
    EXPECT_LT(usage["memory_bytes"].get<std::int64_t>(), std::int64_t{1} << 30) << usage.dump();
    EXPECT_GE(usage["network_rx_bytes"].get<std::int64_t>(), 0);
}

TEST_F(DockerBackendTest, EventsForStartAndDieArriveWithin100Ms) {
    const std::string name = create("events", {"sleep", "30"});
    auto events = backend_.start_stream("events.stream", {{"labels", {{"envmgr.test", "1"}}}});
    // Let the stream connect: the engine only sends events that happen after it subscribed.
    std::this_thread::sleep_for(300ms);
    ASSERT_TRUE(start(name).ok());
    const auto started_at = std::chrono::steady_clock::now();
    const auto start_event =
        events->wait_for([&](const json& e) { return e["action"] == "start" && e["name"] == name; }, 2s);
    ASSERT_TRUE(start_event) << "no start event";
    EXPECT_LT(*start_event - started_at, 100ms);

    ASSERT_TRUE(backend_.call("container.kill", {{"id", name}}).ok());
    const auto killed_at = std::chrono::steady_clock::now();
    const auto die_event =
        events->wait_for([&](const json& e) { return e["action"] == "die" && e["name"] == name; }, 2s);
    ASSERT_TRUE(die_event) << "no die event";
    EXPECT_LT(*die_event - killed_at, 100ms);
    backend_.cancel(events->id);
    ASSERT_TRUE(events->wait_done(2s));
    EXPECT_EQ(events->status(), ENVMGR_STATUS_CANCELLED);
    for (const auto& e : events->items()) {
        if (e["type"] == "container") {
            EXPECT_EQ(e["labels"]["envmgr.test"], "1");
        }
    }
}

TEST_F(DockerBackendTest, StopOfAProcessIgnoringSigtermWithoutInitNeedsSigkill) {
    const std::string name =
        create("stubborn", {"sh", "-c", "trap '' TERM; while :; do sleep 1; done"}, {{"init", false}});
    ASSERT_TRUE(start(name).ok());
    std::this_thread::sleep_for(200ms);
    const auto stopped = backend_.call("container.stop", {{"id", name}, {"timeout_seconds", 1}});
    ASSERT_TRUE(stopped.ok()) << stopped.payload;
    EXPECT_TRUE(stopped.json()["killed"].get<bool>()) << stopped.payload;
    EXPECT_EQ(stopped.json()["exit_code"], 137);
    EXPECT_GE(stopped.elapsed, 900ms);

    const auto again = backend_.call("container.stop", {{"id", name}});
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again.json()["already_stopped"].get<bool>());
}

TEST_F(DockerBackendTest, PullFromTheLocalRegistryReportsLayerProgressUpToTotal) {
    // Only in the registry (scripts/testbed.sh): removed again at the end so every run downloads.
    const std::string image = "127.0.0.1:5000/envmgr-test/pull-probe:latest";
    backend_.call("image.remove", {{"image", image}, {"force", true}});
    const auto pulled = backend_.call("image.pull", {{"image", image}}, 120s);
    ASSERT_TRUE(pulled.ok()) << pulled.payload;
    std::map<std::string, std::int64_t> last_current, total;
    bool rose_to_total = false;
    for (const auto& item : pulled.items) {
        EXPECT_EQ(item["image"], image);
        const std::string layer = item["layer"];
        if (layer.empty()) continue;
        EXPECT_GE(item["current"].get<std::int64_t>(), last_current[layer]) << "current must not go back";
        last_current[layer] = item["current"];
        total[layer] = item["total"];
        if (item["total"].get<std::int64_t>() > 0 && item["current"] == item["total"]) rose_to_total = true;
    }
    EXPECT_FALSE(total.empty()) << "no layer progress";
    EXPECT_TRUE(rose_to_total);
    EXPECT_EQ(pulled.items.back()["status"], "complete");
    EXPECT_EQ(pulled.items.back()["progress_percent"], 100);
    EXPECT_TRUE(backend_.call("image.inspect", {{"image", image}}).ok());
    EXPECT_TRUE(backend_.call("image.remove", {{"image", image}, {"force", true}}).ok());
}

TEST_F(DockerBackendTest, AnImagesInspectionCarriesItsOwnEntrypointAndCommand) {
    const auto inspected = backend_.call("image.inspect", {{"image", "envmgr-test/busybox:latest"}});
    ASSERT_TRUE(inspected.ok()) << inspected.payload;
    EXPECT_EQ(inspected.json()["entrypoint"], nlohmann::json::array());
    EXPECT_EQ(inspected.json()["command"], nlohmann::json::array({"sh"}));  // scripts/testbed.sh makes it so
}

TEST_F(DockerBackendTest, PullOfAMissingImageIsNotFound) {
    const auto pulled =
        backend_.call("image.pull", {{"image", "127.0.0.1:5000/envmgr-test/does-not-exist:latest"}}, 60s);
    EXPECT_EQ(pulled.status, ENVMGR_STATUS_NOT_FOUND) << pulled.payload;
    EXPECT_FALSE(pulled.payload.empty());
}

TEST_F(DockerBackendTest, EngineErrorsKeepTheirMessageAndMapToCodes) {
    const auto missing = backend_.call("container.inspect", {{"id", "envmgr-test-no-such-container"}});
    EXPECT_EQ(missing.status, ENVMGR_STATUS_NOT_FOUND);
    EXPECT_NE(missing.payload.find("No such container: envmgr-test-no-such-container"), std::string::npos)
        << missing.payload;

    const std::string name = create("conflict", {"true"});
    const auto duplicate =
        backend_.call("container.create",
                      {{"spec", {{"name", name}, {"image", kBusybox}, {"labels", {{"envmgr.test", "1"}}}}}});
    EXPECT_EQ(duplicate.status, ENVMGR_STATUS_CONFLICT);
    EXPECT_NE(duplicate.payload.find("already in use"), std::string::npos) << duplicate.payload;

    const auto bad = backend_.call("container.create",
                                   {{"spec", {{"image", kBusybox}, {"ports", {{{"container_port", 0}}}}}}});
    EXPECT_EQ(bad.status, ENVMGR_STATUS_INVALID);
    EXPECT_EQ(bad.payload, "spec.ports[0].container_port: must be 1..65535");

    const auto no_op = backend_.call("container.teleport", {});
    EXPECT_EQ(no_op.status, ENVMGR_STATUS_UNSUPPORTED);
    EXPECT_EQ(no_op.payload, "backend.docker has no operation 'container.teleport'");
}

TEST_F(DockerBackendTest, NetworksAndVolumesAreEnsuredOnceAndLabelled) {
    const std::string network = unique_name("net");
    networks_.push_back(network);
    const auto first =
        backend_.call("network.ensure", {{"name", network}, {"labels", {{"envmgr.test", "1"}}}});
    ASSERT_TRUE(first.ok()) << first.payload;
    EXPECT_TRUE(first.json()["created"].get<bool>());
    const auto second = backend_.call("network.ensure", {{"name", network}});
    ASSERT_TRUE(second.ok());
    EXPECT_FALSE(second.json()["created"].get<bool>());
    EXPECT_EQ(first.json()["id"], second.json()["id"]);
    EXPECT_EQ(backend_.call("network.inspect", {{"name", network}}).json()["labels"]["envmgr.test"], "1");

    // Containers on the network resolve each other by alias.
    const std::string server = create("dns-server", {"httpd", "-f", "-p", "8080", "-h", "/"},
                                      {{"network", network}, {"network_aliases", {"web"}}});
    ASSERT_TRUE(start(server).ok());
    const std::string client = create("dns-client", {"sleep", "30"}, {{"network", network}, {"init", true}});
    ASSERT_TRUE(start(client).ok());
    const auto lookup =
        backend_.call("container.exec",
                      {{"id", client},
                       {"command", {"sh", "-c", "wget -q -O /dev/null http://web:8080/ 2>&1; echo rc=$?"}}});
    EXPECT_NE(lookup.json()["stdout"].get<std::string>().find("rc="), std::string::npos);
    EXPECT_EQ(lookup.json()["stdout"].get<std::string>().find("bad address"), std::string::npos)
        << lookup.payload;

    const std::string volume = unique_name("vol");
    volumes_.push_back(volume);
    EXPECT_TRUE(backend_.call("volume.ensure", {{"name", volume}, {"labels", {{"envmgr.test", "1"}}}})
                    .json()["created"]
                    .get<bool>());
    EXPECT_FALSE(backend_.call("volume.ensure", {{"name", volume}}).json()["created"].get<bool>());
}

TEST_F(DockerBackendTest, EveryEngineCallIsTimedIntoTheHostMetrics) {
    backend_.call("system.version", {});
    backend_.call("container.inspect", {{"id", "envmgr-test-no-such-container"}});
    const auto text = backend_.metrics_text();
    EXPECT_NE(text.find("docker_api_duration_seconds_count{operation=\"container.inspect\"}"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("docker_api_duration_seconds_count{operation=\"system.version\"}"), std::string::npos)
        << text;
}

TEST_F(DockerBackendTest, VersionIsNegotiatedFromTheEngine) {
    const auto version = backend_.call("system.version", {});
    ASSERT_TRUE(version.ok()) << version.payload;
    const std::string negotiated = version.json()["negotiated_api_version"];
    EXPECT_EQ(negotiated, version.json()["api_version"])
        << "engine is older than 1.43, so its version is used";
    const auto info = backend_.call("system.info", {});
    ASSERT_TRUE(info.ok());
    EXPECT_GT(info.json()["cpus"].get<int>(), 0);
    EXPECT_GT(info.json()["memory_bytes"].get<std::int64_t>(), 0);
}

TEST(DockerBackendUnreachable, RefusedTcpEndpointIsUnavailableQuickly) {
    BackendHarness backend(std::map<std::string, std::string>{{"DOCKER_HOST", "tcp://127.0.0.1:1"}});
    ASSERT_TRUE(backend.loaded());
    const auto result = backend.call("container.list", {}, 5s);
    EXPECT_EQ(result.status, ENVMGR_STATUS_UNAVAILABLE);
    EXPECT_NE(result.payload.find("cannot reach the Docker engine at tcp://127.0.0.1:1"), std::string::npos)
        << result.payload;
    EXPECT_LT(result.elapsed, 1s);
}

TEST(DockerBackendUnreachable, MissingSocketIsUnavailableWithThePath) {
    BackendHarness backend(
        std::map<std::string, std::string>{{"DOCKER_HOST", "unix:///tmp/envmgr-no-such.sock"}});
    const auto result = backend.call("system.ping", {}, 5s);
    EXPECT_EQ(result.status, ENVMGR_STATUS_UNAVAILABLE);
    EXPECT_NE(result.payload.find("unix:///tmp/envmgr-no-such.sock"), std::string::npos) << result.payload;
}

TEST(DockerBackendUnreachable, ExplicitApiVersionIsUsedAsIs) {
    require_engine();
    BackendHarness backend(std::map<std::string, std::string>{{"DOCKER_API_VERSION", "1.40"}});
    const auto version = backend.call("system.version", {});
    ASSERT_TRUE(version.ok()) << version.payload;
    EXPECT_EQ(version.json()["negotiated_api_version"], "1.40");
}

TEST(DockerBackendUnreachable, AnEventStreamStartedBeforeTheEngineWaitsForItAndThenDelivers) {
    require_engine();
    // The engine's socket appears only after the stream started (the daemon may start first):
    // a link to the real socket, made later.
    const std::string socket = "/tmp/envmgr-late-engine-" + std::to_string(::getpid()) + ".sock";
    std::filesystem::remove(socket);
    BackendHarness backend(std::map<std::string, std::string>{{"DOCKER_HOST", "unix://" + socket}});
    auto events = backend.start_stream("events.stream", {{"labels", {{"envmgr.test", "1"}}}});
    ASSERT_TRUE(events->wait_for([](const json& e) { return e["action"] == "disconnected"; }, 5s));
    EXPECT_FALSE(events->wait_done(300ms)) << "the stream ended: " << events->payload();

    std::filesystem::create_symlink("/var/run/docker.sock", socket);
    ASSERT_TRUE(events->wait_for([](const json& e) { return e["action"] == "reconnected"; }, 10s));
    const std::string name = unique_name("late-engine");
    ASSERT_TRUE(backend
                    .call("container.create", {{"spec",
                                                {{"name", name},
                                                 {"image", "envmgr-test/busybox:latest"},
                                                 {"command", {"true"}},
                                                 {"labels", {{"envmgr.test", "1"}}}}}})
                    .ok());
    EXPECT_TRUE(
        events->wait_for([&](const json& e) { return e["action"] == "create" && e["name"] == name; }, 5s));
    backend.call("container.remove", {{"id", name}, {"force", true}});
    backend.cancel(events->id);
    EXPECT_TRUE(events->wait_done(5s));
    std::filesystem::remove(socket);
}

TEST(DockerBackendUnreachable, BadDockerHostRefusesThePluginWithTheReason) {
    BackendHarness backend(std::map<std::string, std::string>{{"DOCKER_HOST", "ftp://nowhere"}});
    EXPECT_FALSE(backend.loaded());
}

}  // namespace
}  // namespace envmgr::tests
