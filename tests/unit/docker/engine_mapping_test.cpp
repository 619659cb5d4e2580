#include "engine_mapping.h"

#include <gtest/gtest.h>

namespace envmgr::docker {
namespace {

TEST(EngineMapping, CreateBodyCarriesEverythingOfTheSpec) {
    sdk::ContainerSpec spec;
    spec.image = "redis:7-alpine";
    spec.command = {"redis-server"};
    spec.env = {{"A", "1"}};
    spec.labels = {{"env-manager.service", "redis"}};
    spec.ports = {{6379, 16379, "127.0.0.1", "tcp"}, {9999, 0, "", "udp"}};
    spec.mounts = {{"volume", "redis_data", "/data", false}, {"tmpfs", "", "/tmp", false}};
    spec.network = "envmgr-default";
    spec.network_aliases = {"redis"};
    spec.restart_policy = "unless-stopped";
    spec.init = true;
    spec.resources = {1.5, 256 << 20};
    spec.gpu.count = -1;
    const auto body = container_create_body(spec);
    EXPECT_EQ(body["Image"], "redis:7-alpine");
    EXPECT_EQ(body["Env"], nlohmann::json({"A=1"}));
    EXPECT_EQ(body["ExposedPorts"], nlohmann::json::parse(R"({"6379/tcp":{},"9999/udp":{}})"));
    EXPECT_EQ(body["HostConfig"]["PortBindings"],
              nlohmann::json::parse(R"({"6379/tcp":[{"HostIp":"127.0.0.1","HostPort":"16379"}]})"));
    EXPECT_EQ(body["HostConfig"]["Mounts"][0],
              nlohmann::json::parse(
                  R"({"Type":"volume","Source":"redis_data","Target":"/data","ReadOnly":false})"));
    EXPECT_FALSE(body["HostConfig"]["Mounts"][1].contains("Source"));
    EXPECT_EQ(body["HostConfig"]["Init"], true);
    EXPECT_EQ(body["HostConfig"]["NanoCpus"], 1500000000);
    EXPECT_EQ(body["HostConfig"]["Memory"], 256 << 20);
    EXPECT_EQ(body["HostConfig"]["RestartPolicy"]["Name"], "unless-stopped");
    EXPECT_EQ(body["HostConfig"]["DeviceRequests"][0]["Count"], -1);
    EXPECT_EQ(body["HostConfig"]["DeviceRequests"][0]["Capabilities"], nlohmann::json::parse(R"([["gpu"]])"));
    EXPECT_EQ(body["HostConfig"]["NetworkMode"], "envmgr-default");
    EXPECT_EQ(body["NetworkingConfig"]["EndpointsConfig"]["envmgr-default"]["Aliases"],
              nlohmann::json({"redis"}));
}

TEST(EngineMapping, InspectToleratesNullMembers) {
    const auto doc = container_from_inspect(nlohmann::json::parse(R"({
      "Id": "abc", "Name": "/redis", "Image": "sha256:1",
      "State": {"Status": "running", "Running": true, "ExitCode": 0, "StartedAt": "2026-11-26T20:46:56.302123456Z",
                "FinishedAt": "0001-01-01T00:00:00Z", "Health": null},
      "Config": {"Image": "redis:7-alpine", "Labels": null, "Tty": false},
      "NetworkSettings": {"IPAddress": "", "Ports": {"6379/tcp": [{"HostIp": "127.0.0.1", "HostPort": "6379"}], "80/tcp": null},
                          "Networks": {"envmgr": {"IPAddress": "172.18.0.2", "Aliases": null}}}
    })"));
    EXPECT_EQ(doc["name"], "redis");
    EXPECT_EQ(doc["state"], "running");
    EXPECT_EQ(doc["started_at"], 1795726016);
    EXPECT_EQ(doc["finished_at"], 0);
    EXPECT_EQ(doc["labels"], nlohmann::json::object());
    EXPECT_EQ(doc["ip_address"], "172.18.0.2");
    EXPECT_EQ(doc["health"], "");
    ASSERT_EQ(doc["ports"].size(), 2U);
}

TEST(EngineMapping, CpuPercentIsComputedAsTheDockerCliDoes) {
    const auto usage = usage_from_stats(nlohmann::json::parse(R"({
      "cpu_stats": {"cpu_usage": {"total_usage": 2000000000}, "system_cpu_usage": 20000000000, "online_cpus": 2},
      "precpu_stats": {"cpu_usage": {"total_usage": 1000000000}, "system_cpu_usage": 18000000000},
      "memory_stats": {"usage": 50000000, "stats": {"total_inactive_file": 10000000}},
      "networks": {"eth0": {"rx_bytes": 100, "tx_bytes": 50}, "eth1": {"rx_bytes": 1, "tx_bytes": 2}}
    })"));
    EXPECT_DOUBLE_EQ(usage.cpu_percent, 100.0);  // 1e9 / 2e9 * 2 cpus * 100
    EXPECT_EQ(usage.memory_bytes, 40000000);
    EXPECT_EQ(usage.network_rx_bytes, 101);
    EXPECT_EQ(usage.network_tx_bytes, 52);
    EXPECT_EQ(usage_from_stats(nlohmann::json::object()).cpu_percent, 0.0);
}

TEST(EngineMapping, TimesReferencesAndEncodings) {
    EXPECT_EQ(unix_seconds("1970-01-01T00:01:00Z"), 60);
    EXPECT_EQ(unix_seconds("1970-01-01T01:00:00+01:00"), 0);
    EXPECT_EQ(unix_seconds("garbage"), 0);
    EXPECT_EQ(split_image_reference("redis:7-alpine"),
              std::make_pair(std::string("redis"), std::string("7-alpine")));
    EXPECT_EQ(split_image_reference("127.0.0.1:5000/a/b"),
              std::make_pair(std::string("127.0.0.1:5000/a/b"), std::string("latest")));
    EXPECT_EQ(split_image_reference("x@sha256:ab").second, "sha256:ab");
    EXPECT_EQ(registry_of("redis:7-alpine"), "docker.io");
    EXPECT_EQ(registry_of("ollama/ollama"), "docker.io");
    EXPECT_EQ(registry_of("127.0.0.1:5000/x"), "127.0.0.1:5000");
    EXPECT_EQ(url_encode("a=b c/{}"), "a%3Db%20c%2F%7B%7D");
    EXPECT_EQ(base64url("{\"username\":\"u\"}"), "eyJ1c2VybmFtZSI6InUifQ==");
    EXPECT_EQ(label_filters({{"a", "1"}, {"b", ""}}, "container"),
              R"({"label":["a=1","b"],"type":["container"]})");
}

TEST(EngineMapping, ErrorsKeepTheEngineMessage) {
    EXPECT_EQ(status_for_http(404), ENVMGR_STATUS_NOT_FOUND);
    EXPECT_EQ(status_for_http(409), ENVMGR_STATUS_CONFLICT);
    EXPECT_EQ(status_for_http(400), ENVMGR_STATUS_INVALID);
    EXPECT_EQ(status_for_http(500), ENVMGR_STATUS_INTERNAL);
    EXPECT_EQ(status_for_http(503), ENVMGR_STATUS_UNAVAILABLE);
    EXPECT_EQ(engine_message(R"({"message":"No such container: x"})", 404), "No such container: x");
    EXPECT_EQ(engine_message("page not found\n", 404), "HTTP 404: page not found");
}

}  // namespace
}  // namespace envmgr::docker
