#include "host/registry/registry_printer.h"
#include "tests/unit/host/registry/registry_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

namespace envmgr::tests {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RegistryPrinter, TomlAndJsonCarryTheSameEffectiveDefinitions) {
    const auto built = build_registry_from("[tenants.blue]\nport_offset = 100\n");
    ASSERT_TRUE(built.registry.ok()) << built.errors_text();
    const auto json = nlohmann::json::parse(host::registry::registry_json(built.registry));
    const auto toml = toml::parse(host::registry::registry_toml(built.registry));
    const auto& blue_redis = json["tenants"]["blue"]["services"]["redis"];
    EXPECT_EQ(blue_redis["container_name"], "blue-redis");
    EXPECT_EQ(blue_redis["ports"][0]["host_port"], 6479);
    EXPECT_EQ(blue_redis["plugin"], "service.redis");
    EXPECT_EQ(json["tenants"]["blue"]["network"], "env-manager-blue");
    EXPECT_EQ(toml["tenants"]["blue"]["services"]["redis"]["container_name"].value_or(std::string()),
              "blue-redis");
    EXPECT_EQ(toml["tenants"]["blue"]["services"]["redis"]["ports"][0]["host_port"].value_or(0), 6479);
    EXPECT_EQ(toml["tenants"]["default"]["services"]["redis"]["definition_hash"].value_or(std::string()),
              json["tenants"]["default"]["services"]["redis"]["definition_hash"].get<std::string>());
    EXPECT_EQ(toml["tenants"]["default"]["services"]["redis"]["readiness"]["send"].value_or(std::string()),
              "*1\r\n$4\r\nPING\r\n");
}

TEST(RegistryPrinter, SecretLookingEnvironmentValuesAreMasked) {
    RegistryOptions options;
    options.environment = {{"DB_PASSWORD", "hunter2-secret-value"}};
    const auto built = build_registry_from(R"(
[services.redb]
env = { REDB_PASSWORD = "${DB_PASSWORD}", API_TOKEN = "tok-123456", SIGNING_KEY = "k-987", REDB_MODE = "fast" }
)",
                                           options);
    ASSERT_TRUE(built.registry.ok()) << built.errors_text();
    // The effective definition keeps the value: the container needs it.
    EXPECT_EQ(built.service("default", "redb").definition.env.at("REDB_PASSWORD"), "hunter2-secret-value");
    for (const auto& text :
         {host::registry::registry_toml(built.registry), host::registry::registry_json(built.registry)}) {
        EXPECT_THAT(text, Not(HasSubstr("hunter2-secret-value")));
        EXPECT_THAT(text, Not(HasSubstr("tok-123456")));
        EXPECT_THAT(text, Not(HasSubstr("k-987")));
        EXPECT_THAT(text, HasSubstr("fast"));
        EXPECT_THAT(text, HasSubstr(host::registry::kMasked));
    }
}

}  // namespace
}  // namespace envmgr::tests
