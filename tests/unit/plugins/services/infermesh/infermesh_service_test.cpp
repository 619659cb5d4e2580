#include "plugins/services/infermesh/infermesh_service.h"
#include "plugins/services/infermesh/mesh_nodes.h"

#include <envmgr/sdk/testing/fake_host.h>

#include <gtest/gtest.h>

#include <future>

namespace envmgr::plugins::services::infermesh {
namespace {

std::map<std::string, sdk::ServiceDefinition> by_name(const std::vector<sdk::ServiceDefinition>& list) {
    std::map<std::string, sdk::ServiceDefinition> map;
    for (const auto& definition : list) map[definition.name] = definition;
    return map;
}

TEST(InfermeshService, ProvidesTheTwoNodesAndTheRouterOfServicesMd) {
    sdk::testing::FakeHost fake;
    InfermeshService plugin(fake.host(), nlohmann::json::object());
    const auto services = by_name(plugin.definitions());
    ASSERT_EQ(services.size(), 3U);
    for (const auto& [node, host_port, id, cache] :
         {std::tuple{"infermesh-node-a", 19001, "node-a", "infermesh_cache_a"},
          std::tuple{"infermesh-node-b", 19002, "node-b", "infermesh_cache_b"}}) {
        SCOPED_TRACE(node);
        const auto& definition = services.at(node);
        EXPECT_EQ(definition.image, "official-infermesh:latest");
        ASSERT_EQ(definition.ports.size(), 1U);
        EXPECT_EQ(definition.ports[0].container_port, 9000);
        EXPECT_EQ(definition.ports[0].host_port, host_port);
        const std::map<std::string, std::string> env{
            {"MESH_NODE_ID", id}, {"MESH_PORT", "9000"}, {"REDIS_URL", "redis://redis:6379"}};
        EXPECT_EQ(definition.env, env);
        ASSERT_EQ(definition.mounts.size(), 1U);
        EXPECT_EQ(definition.mounts[0].source, cache);
        EXPECT_EQ(definition.mounts[0].target, "/cache");
        ASSERT_EQ(definition.depends_on.size(), 1U);
        EXPECT_EQ(definition.depends_on[0].service, "redis");
        EXPECT_EQ(definition.depends_on[0].condition, "healthy");
        EXPECT_EQ(definition.readiness.type, "http");
        EXPECT_EQ(definition.readiness.path, "/health");
        EXPECT_EQ(definition.readiness.port, 9000);
        EXPECT_FALSE(definition.optional);
    }
    const auto& router = services.at("infermesh-router");
    EXPECT_EQ(router.image, "official-infermesh:latest");
    ASSERT_EQ(router.ports.size(), 1U);
    EXPECT_EQ(router.ports[0].container_port, 9000);
    EXPECT_EQ(router.ports[0].host_port, 19000);
    const std::map<std::string, std::string> env{
        {"MESH_ROLE", "router"},
        {"MESH_PORT", "9000"},
        {"MESH_NODES", "infermesh-node-a:9000,infermesh-node-b:9000"},
        {"REDIS_URL", "redis://redis:6379"}};
    EXPECT_EQ(router.env, env);
    EXPECT_TRUE(router.mounts.empty());
    ASSERT_EQ(router.depends_on.size(), 2U);
    EXPECT_EQ(router.depends_on[0].service, "infermesh-node-a");
    EXPECT_EQ(router.depends_on[1].service, "infermesh-node-b");
    EXPECT_EQ(router.depends_on[1].condition, "healthy");
    EXPECT_EQ(router.readiness.path, "/health");
}

nlohmann::json node(const std::string& port = "9000") {
    return {{"env", {{"MESH_PORT", port}}}, {"labels", {{"infermesh.role", "node"}}}};
}

TEST(MeshNodes, AThirdNodeAppearsInTheRoutersListAndDependencies) {
    const nlohmann::json context{
        {"tenant", "default"},
        {"definition",
         {{"labels", {{"infermesh.role", "router"}}},
          {"depends_on",
           {{{"service", "infermesh-node-a"}, {"condition", "healthy"}},
            {{"service", "redis"}, {"condition", "started"}}}}}},
        {"definitions",
         {{"infermesh-node-a", node()},
          {"infermesh-node-b", node()},
          {"infermesh-node-c", {{"env", {{"MESH_PORT", "9100"}}}}},  // added in TOML: no labels
          {"infermesh-router", {{"labels", {{"infermesh.role", "router"}}}}},
          {"redis", nlohmann::json::object()}}}};
    const auto resolution = router_resolution(context);
    EXPECT_EQ(resolution["env"]["MESH_NODES"],
              "infermesh-node-a:9000,infermesh-node-b:9000,infermesh-node-c:9100");
    const nlohmann::json expected_dependencies = {
        {{"service", "redis"}, {"condition", "started"}},
        {{"service", "infermesh-node-a"}, {"condition", "healthy"}},
        {{"service", "infermesh-node-b"}, {"condition", "healthy"}},
        {{"service", "infermesh-node-c"}, {"condition", "healthy"}}};
    EXPECT_EQ(resolution["depends_on"], expected_dependencies);
}

TEST(MeshNodes, ALabelDecidesOverTheName) {
    const nlohmann::json definitions{{"infermesh-node-x", {{"labels", {{"infermesh.role", "worker"}}}}},
                                     {"edge", node("9001")}};
    const auto nodes = mesh_nodes(definitions);
    ASSERT_EQ(nodes.size(), 1U);
    EXPECT_EQ(mesh_nodes_value(nodes), "edge:9001");
}

TEST(InfermeshService, ResolveChangesOnlyTheRouter) {
    sdk::testing::FakeHost fake;
    InfermeshService plugin(fake.host(), nlohmann::json::object());
    std::promise<sdk::Result> answer;
    const auto callbacks = sdk::make_callbacks([&](const sdk::Result& r) { answer.set_value(r); });
    plugin.resolve("infermesh-node-a", {{"definition", node()}}, sdk::Completion(&callbacks));
    const auto result = answer.get_future().get();
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(nlohmann::json::parse(result.payload), nlohmann::json::object());
}

}  // namespace
}  // namespace envmgr::plugins::services::infermesh
