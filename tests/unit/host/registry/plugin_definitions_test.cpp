#include "host/registry/plugin_definitions.h"

#include <gtest/gtest.h>

namespace envmgr::host::registry {
namespace {

const char* const kWeb = R"([{"name": "web", "image": "nginx:1"}])";

TEST(PluginDefinitions, EachPluginsDefinitionsAreKeptWithItsIdInPluginOrder) {
    const auto read = read_plugin_definitions(
        {{"service.a", kWeb}, {"service.b", R"([{"name": "db", "image": "redis:7"}])"}});
    EXPECT_TRUE(read.refusals.empty());
    ASSERT_EQ(read.definitions.size(), 2U);
    EXPECT_EQ(read.definitions[0].first, "service.a");
    EXPECT_EQ(read.definitions[0].second.name, "web");
    EXPECT_EQ(read.definitions[1].first, "service.b");
}

TEST(PluginDefinitions, APluginWithOneBadDefinitionIsRefusedAsAWhole) {
    const auto read = read_plugin_definitions(
        {{"service.bad", R"([{"name": "ok", "image": "redis:7"}, {"name": "broken"}])"}});
    EXPECT_TRUE(read.definitions.empty());
    ASSERT_EQ(read.refusals.size(), 1U);
    EXPECT_EQ(read.refusals[0].first, "service.bad");
    EXPECT_NE(read.refusals[0].second.find("invalid service definition: broken: image: required"),
              std::string::npos)
        << read.refusals[0].second;
}

TEST(PluginDefinitions, TheLaterOfTwoPluginsDefiningAServiceIsRefused) {
    const auto read = read_plugin_definitions({{"service.a", kWeb}, {"service.b", kWeb}});
    ASSERT_EQ(read.definitions.size(), 1U);
    EXPECT_EQ(read.definitions[0].first, "service.a");
    ASSERT_EQ(read.refusals.size(), 1U);
    EXPECT_EQ(read.refusals[0].second, "service 'web' is already defined by plugin 'service.a'");
}

TEST(PluginDefinitions, ADocumentOfTheWrongShapeSaysSo) {
    auto read = read_plugin_definitions({{"service.a", R"({"name": "web"})"}});
    ASSERT_EQ(read.refusals.size(), 1U);
    EXPECT_EQ(read.refusals[0].second, "definitions() is not a JSON array");
    read = read_plugin_definitions({{"service.a", R"([{"name": 5, "image": "x"}])"}});
    ASSERT_EQ(read.refusals.size(), 1U);
    EXPECT_NE(read.refusals[0].second.find("a field of the wrong type"), std::string::npos);
}

}  // namespace
}  // namespace envmgr::host::registry
