#include "host/registry/service_overrides.h"
#include "host/config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace envmgr::host::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Registry one_service() {
    RegistryInputs inputs;
    sdk::ServiceDefinition web;
    web.name = "web";
    web.image = "img/web:1";
    web.env = {{"KEEP", "1"}};
    inputs.plugin_definitions = {{"test", web}};
    return build_registry(config::Config{}, inputs);
}

TEST(ServiceOverrides, ChangeACopyWithItsOwnHash) {
    const auto registry = one_service();
    const auto applied = apply_overrides(
        registry, "default",
        {{"web.image", "img/web:2"}, {"web.env.MODE", "fast"}, {"web.command", "serve --port 80"}});
    ASSERT_EQ(applied.error, "");
    const auto& web = *applied.services.at("web");
    EXPECT_EQ(web.definition.image, "img/web:2");
    EXPECT_EQ(web.definition.env.at("MODE"), "fast");
    EXPECT_EQ(web.definition.env.at("KEEP"), "1");
    EXPECT_THAT(web.definition.command, ElementsAre("serve", "--port", "80"));
    const auto* configured = registry.find("default", "web");
    EXPECT_EQ(configured->definition.image, "img/web:1") << "the registry itself is untouched";
    EXPECT_NE(web.definition_hash, configured->definition_hash);
    EXPECT_EQ(web.definition.labels.at(kDefinitionHashLabel), web.definition_hash);
    // The same overrides give the same hash: a second start with them changes nothing.
    EXPECT_EQ(apply_overrides(
                  registry, "default",
                  {{"web.image", "img/web:2"}, {"web.env.MODE", "fast"}, {"web.command", "serve --port 80"}})
                  .services.at("web")
                  ->definition_hash,
              web.definition_hash);
}

TEST(ServiceOverrides, ABadKeyIsNamed) {
    const auto registry = one_service();
    const auto error_of = [&](const std::string& key, const std::string& value) {
        return apply_overrides(registry, "default", {{key, value}}).error;
    };
    EXPECT_THAT(error_of("web.colour", "red"), HasSubstr("overrides[web.colour]: unknown key 'colour'"));
    EXPECT_THAT(error_of("nope.image", "x"), HasSubstr("overrides[nope.image]: no service 'nope'"));
    EXPECT_THAT(error_of("image", "x"), HasSubstr("overrides[image]: expected SERVICE.image"));
    EXPECT_THAT(error_of("web.image", ""), HasSubstr("overrides[web.image]: empty image"));
    EXPECT_THAT(error_of("web.command", "a 'b"),
                HasSubstr("overrides[web.command]: unterminated single quote"));
    EXPECT_THAT(error_of("web.env.", "x"), HasSubstr("unknown key"));
    EXPECT_TRUE(apply_overrides(registry, "default", {{"web.colour", "red"}}).services.empty());
}

}  // namespace
}  // namespace envmgr::host::registry
