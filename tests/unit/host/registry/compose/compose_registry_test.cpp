// Compose files as a layer of the registry: beside the plugins' services, instead of them,
// relative to the configuration file, with their network and volume names.
#include "host/registry/service_registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace envmgr::host::registry {
namespace {

class ComposeRegistry : public ::testing::Test {
protected:
    void SetUp() override {
        folder_ =
            std::filesystem::temp_directory_path() /
            ("envmgr-compose-registry-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(folder_);
        write("c.yml",
              "services:\n  web:\n    image: busybox\n    ports: ['8080:80']\n    volumes: [data:/d, "
              "shared:/s]\n"
              "  redis:\n    image: redis:7-alpine\nvolumes:\n  data:\n  shared: {external: true}\n"
              "networks:\n  default: {name: team-net}\n");
        sdk::ServiceDefinition redis;
        redis.name = "redis";
        redis.image = "redis:7-alpine";
        inputs_.plugin_definitions.push_back({"service.redis", redis});
        inputs_.compose_environment = config::map_environment({});
    }
    void TearDown() override { std::filesystem::remove_all(folder_); }

    void write(const std::string& name, const std::string& text) const {
        std::ofstream(folder_ / name) << text;
    }

    Registry build(const nlohmann::json& tenants) {
        config::Config config;
        config.config_file = (folder_ / "env-manager.toml").string();
        config.tenants = tenants;
        return build_registry(config, inputs_);
    }

    std::filesystem::path folder_;
    RegistryInputs inputs_;
};

TEST_F(ComposeRegistry, AServiceBothAPluginAndTheFileDefineIsAnErrorThatSaysHowToChoose) {
    const auto registry = build({{"default", {{"compose", {"c.yml"}}}}});
    ASSERT_EQ(registry.errors.size(), 1U);
    EXPECT_EQ(registry.errors[0].origin, (folder_ / "c.yml").string() + ":6:3");
    EXPECT_NE(registry.errors[0].message.find("defined by plugin 'service.redis' and by a Compose file"),
              std::string::npos);
    EXPECT_NE(registry.errors[0].message.find("plugin_services = false in [tenants.default]"),
              std::string::npos);
}

TEST_F(ComposeRegistry, WithoutThePluginsServicesTheFileRunsWithItsNetworkAndVolumeNames) {
    const auto registry =
        build({{"blue", {{"compose", {"c.yml"}}, {"plugin_services", false}, {"port_offset", 5}}}});
    ASSERT_TRUE(registry.ok()) << registry.errors.front().to_string();
    const auto* blue = registry.tenant("blue");
    ASSERT_NE(blue, nullptr);
    EXPECT_EQ(blue->network, "team-net");
    const auto* web = registry.find("blue", "web");
    ASSERT_NE(web, nullptr);
    EXPECT_EQ(web->source, (folder_ / "c.yml").string() + ":2:3");
    EXPECT_EQ(web->container_name, "blue-web");
    EXPECT_EQ(web->definition.ports.at(0).host_port, 8085);
    EXPECT_EQ(web->definition.mounts.at(0).source, "blue_data");  // the tenant's own copy
    EXPECT_EQ(web->definition.mounts.at(1).source, "shared");     // external: as named
    EXPECT_EQ(registry.find("blue", "redis")->plugin_id, "");
    EXPECT_NE(registry.find("default", "redis"), nullptr);  // the default tenant keeps the plugins'
}

TEST_F(ComposeRegistry, TomlTablesChangeAComposeServiceLikeAnyOther) {
    const auto registry = build({{"default",
                                  {{"compose", {"c.yml"}},
                                   {"plugin_services", false},
                                   {"services", {{"web", {{"image", "nginx:1"}}}}}}}});
    ASSERT_TRUE(registry.ok()) << registry.errors.front().to_string();
    EXPECT_EQ(registry.find("default", "web")->definition.image, "nginx:1");
}

TEST_F(ComposeRegistry, AFileThatCannotBeReadIsNamed) {
    const auto registry = build({{"default", {{"compose", {"missing.yml"}}}}});
    ASSERT_FALSE(registry.ok());
    EXPECT_EQ(registry.errors[0].origin, (folder_ / "missing.yml").string());
    EXPECT_EQ(registry.errors[0].message, "cannot read the Compose file");
}

}  // namespace
}  // namespace envmgr::host::registry
