#include "host/scheduler/container_spec_builder.h"

#include <gtest/gtest.h>

namespace envmgr::host::scheduler {
namespace {

TEST(ContainerSpecBuilder, CarriesTheEffectiveDefinitionOntoTheTenantsNetwork) {
    registry::EffectiveService service;
    service.tenant = "blue";
    service.container_name = "blue-redis";
    service.network = "env-manager-blue";
    auto& definition = service.definition;
    definition.name = "redis";
    definition.image = "redis:7-alpine";
    definition.env = {{"A", "1"}};
    definition.ports = {{6379, 6479, "127.0.0.1", "tcp"}};
    definition.mounts = {{"volume", "blue_redis_data", "/data", false}};
    definition.labels = {{"env-manager.tenant", "blue"}};
    definition.restart_policy = "always";
    definition.gpu = "required";
    definition.stop_timeout_seconds = 20;
    const auto spec = container_spec_for(service);
    EXPECT_EQ(spec.name, "blue-redis");
    EXPECT_EQ(spec.network, "env-manager-blue");
    EXPECT_EQ(spec.network_aliases, std::vector<std::string>{"redis"});
    EXPECT_EQ(spec.restart_policy, "no");  // env-manager restarts, not the engine
    EXPECT_TRUE(spec.init);
    EXPECT_EQ(spec.gpu.count, -1);
    EXPECT_EQ(spec.ports.at(0).host_port, 6479);
    EXPECT_EQ(spec.mounts.at(0).source, "blue_redis_data");
    EXPECT_EQ(spec.labels.at("env-manager.tenant"), "blue");
    EXPECT_EQ(spec.stop_timeout_seconds, 20);
    EXPECT_TRUE(sdk::validate(spec).empty());
}

}  // namespace
}  // namespace envmgr::host::scheduler
