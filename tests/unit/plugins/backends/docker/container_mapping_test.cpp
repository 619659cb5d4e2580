#include "plugins/backends/docker/container_mapping.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

TEST(ContainerMapping, CreateBodyCarriesEverythingOfTheSpec) {
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

TEST(ContainerMapping, InspectToleratesNullMembers) {
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
    EXPECT_EQ(doc["started_at_ns"], 1795726016302123456);
    EXPECT_EQ(doc["finished_at"], 0);
    EXPECT_EQ(doc["labels"], nlohmann::json::object());
    EXPECT_EQ(doc["ip_address"], "172.18.0.2");
    EXPECT_EQ(doc["health"], "");
    ASSERT_EQ(doc["ports"].size(), 2U);
}

TEST(ContainerMapping, AListEntryCarriesItsPublishedPortsOnly) {
    const auto entry = nlohmann::json::parse(R"({
      "Id": "abc", "Names": ["/envmgr-redis"], "Image": "redis:7-alpine", "State": "running",
      "Status": "Up 2 seconds", "Created": 1700000000, "Labels": {"env-manager.service": "redis"},
      "Ports": [{"IP": "127.0.0.1", "PrivatePort": 6379, "PublicPort": 6379, "Type": "tcp"},
                {"PrivatePort": 9000, "Type": "tcp"}, null]})");
    const auto container = container_from_list_entry(entry);
    EXPECT_EQ(container["name"], "envmgr-redis");
    ASSERT_EQ(container["ports"].size(), 1U);
    EXPECT_EQ(container["ports"][0],
              nlohmann::json::parse(
                  R"({"container_port": 6379, "protocol": "tcp", "host_ip": "127.0.0.1",
                                             "host_port": 6379})"));
    EXPECT_EQ(container_from_list_entry(nlohmann::json::object())["ports"], nlohmann::json::array());
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
