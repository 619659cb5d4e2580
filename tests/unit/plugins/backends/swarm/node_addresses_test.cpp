#include "plugins/backends/swarm/node_addresses.h"
#include "tests/unit/plugins/backends/swarm/swarm_fixtures.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::swarm {
namespace {

using testing::service_named;
using testing::swarm_fixture;

TEST(NodeAddresses, EachRunningServiceIsReachedAtItsTasksNodeAndPublishedPort) {
    const auto services = swarm_fixture("services");
    const auto tasks = swarm_fixture("tasks");
    const auto nodes = nodes_from_list(swarm_fixture("nodes"));
    const auto addresses = published_addresses(services, tasks, nodes);
    const auto& redis = service_named(services, "redis");
    const auto document = container_from_service(redis, tasks_of(tasks, redis["ID"]), nodes);
    ASSERT_TRUE(document["running"].get<bool>());
    const auto& port = document["ports"][0];
    const std::string key = "redis:" + std::to_string(port["container_port"].get<int>());
    ASSERT_TRUE(addresses.contains(key));
    EXPECT_EQ(addresses.at(key), document["node_address"].get<std::string>() + ":" +
                                     std::to_string(port["host_port"].get<int>()));
    for (const auto& [from, to] : addresses) {
        EXPECT_EQ(to.rfind("192.168.213.", 0), 0U) << from << " -> " << to;
    }
}

TEST(NodeAddresses, AManagerReportingNoAddressOfItsOwnIsReachedAtItsRaftAddress) {
    auto listed = swarm_fixture("nodes");
    for (auto& node : listed) {
        if (node.contains("ManagerStatus")) node["Status"]["Addr"] = "0.0.0.0";
    }
    for (const auto& [id, node] : nodes_from_list(listed)) {
        EXPECT_EQ(node.address.rfind("192.168.213.", 0), 0U) << node.hostname << ": " << node.address;
    }
}

TEST(NodeAddresses, OnlyWholeServiceNamesAndPortsAreRewritten) {
    const std::map<std::string, std::string> addresses{{"redis:6379", "192.168.213.12:16379"},
                                                       {"infermesh-node-a:9000", "192.168.213.13:19001"},
                                                       {"infermesh-node-b:9000", "192.168.213.14:19002"}};
    const auto env = env_with_addresses(
        {"REDIS_URL=redis://redis:6379/0", "MESH_NODES=infermesh-node-a:9000,infermesh-node-b:9000",
         "OTHER=my-redis:6379", "LONGER=redis:63790", "PLAIN", "EMPTY="},
        addresses);
    EXPECT_EQ(env,
              (std::vector<std::string>{"REDIS_URL=redis://192.168.213.12:16379/0",
                                        "MESH_NODES=192.168.213.13:19001,192.168.213.14:19002",
                                        "OTHER=my-redis:6379", "LONGER=redis:63790", "PLAIN", "EMPTY="}));
}

TEST(NodeAddresses, TheDefinitionsEnvironmentIsKeptOnlyWhenTheSettingAsksForIt) {
    sdk::ContainerSpec spec;
    spec.name = "router";
    spec.image = "official-infermesh:latest";
    spec.env = {{"MESH_NODES", "infermesh-node-a:9000"}};
    EXPECT_FALSE(service_create_body(spec, {})["Labels"].contains(kDefinitionEnvLabel));
    ServiceSettings settings;
    settings.node_addresses = true;
    EXPECT_EQ(service_create_body(spec, settings)["Labels"][kDefinitionEnvLabel],
              R"(["MESH_NODES=infermesh-node-a:9000"])");
}

}  // namespace
}  // namespace envmgr::plugins::backends::swarm
