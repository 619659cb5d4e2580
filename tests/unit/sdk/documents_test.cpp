#include <envmgr/sdk/documents.h>

#include <gtest/gtest.h>

namespace envmgr::sdk {
namespace {

TEST(Documents, ServiceDefinitionRoundTripsThroughJson) {
    ServiceDefinition redis;
    redis.name = "redis";
    redis.image = "redis:7-alpine";
    redis.ports = {{6379, 6379, "127.0.0.1", "tcp"}};
    redis.mounts = {{"volume", "redis_data", "/data", false}};
    redis.readiness.type = "tcp";
    redis.readiness.port = 6379;
    redis.readiness.send = "PING\r\n";
    redis.readiness.expect = "+PONG";
    const auto back = nlohmann::json(redis).get<ServiceDefinition>();
    EXPECT_EQ(nlohmann::json(back), nlohmann::json(redis));
    EXPECT_TRUE(validate(back).empty());
}

TEST(Documents, MissingFieldsTakeDefaultsAndUnknownFieldsAreIgnored) {
    const auto def = nlohmann::json::parse(R"({"name":"x","image":"y","field_from_the_future":1})")
                         .get<ServiceDefinition>();
    EXPECT_EQ(def.restart_policy, "unless-stopped");
    EXPECT_TRUE(def.init);
    EXPECT_EQ(def.readiness.failure_threshold, 3);
}

TEST(Documents, ValidationNamesEachBadField) {
    ServiceDefinition bad;
    bad.name = "bad name";
    bad.ports = {{0, 70000, "", "sctp"}};
    bad.mounts = {{"nfs", "", "relative", false}};
    bad.depends_on = {{"", "ready"}};
    bad.gpu = "maybe";
    const auto errors = validate(bad);
    const std::vector<std::string> expected{
        "bad name: name: only letters, digits, '-' and '_' are allowed",
        "bad name: image: required",
        "bad name: ports[0].container_port: must be 1..65535",
        "bad name: ports[0].host_port: must be 0..65535",
        "bad name: ports[0].protocol: must be tcp or udp",
        "bad name: mounts[0].type: must be volume, bind or tmpfs, got 'nfs'",
        "bad name: mounts[0].source: required",
        "bad name: mounts[0].target: must be an absolute path",
        "bad name: depends_on[0].service: required",
        "bad name: depends_on[0].condition: must be started, healthy or completed_successfully, got 'ready'",
        "bad name: gpu: must be none, optional or required",
    };
    EXPECT_EQ(errors, expected);
}

TEST(Documents, ProbeSpecValidation) {
    ProbeSpec spec;
    spec.type = "exec";
    spec.interval_ms = -1;
    spec.method = "POST";
    spec.target = "somewhere";
    const auto errors = validate(spec);
    EXPECT_EQ(errors, (std::vector<std::string>{"interval_ms: must be >= 0 (0: the host's default)",
                                                "command: required for exec", "method: must be GET or HEAD",
                                                "target: must be auto, container or published"}));
    ProbeSpec defaults;
    defaults.type = "tcp";
    EXPECT_TRUE(validate(defaults).empty()) << "the defaults must be valid";
}

TEST(Documents, StatusSnapshotCarriesResourceUsage) {
    StatusSnapshot snapshot;
    snapshot.timestamp = 5;
    ServiceStatus status;
    status.name = "redis";
    status.state = "healthy";
    status.resource_usage.memory_bytes = 1024;
    snapshot.services.push_back(status);
    const auto json = nlohmann::json(snapshot);
    EXPECT_EQ(json["services"][0]["resource_usage"]["memory_bytes"], 1024);
    EXPECT_EQ(json.get<StatusSnapshot>().services[0].state, "healthy");
}

}  // namespace
}  // namespace envmgr::sdk
