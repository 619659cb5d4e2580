#include "plugins/services/redb/redb_service.h"

#include <envmgr/sdk/testing/fake_host.h>

#include <gtest/gtest.h>

namespace envmgr::plugins::services::redb {
namespace {

TEST(RedbService, IsTheDefinitionOfServicesMd) {
    sdk::testing::FakeHost fake;
    RedbService plugin(fake.host(), nlohmann::json::object());
    const auto definitions = plugin.definitions();
    ASSERT_EQ(definitions.size(), 1U);
    const auto& redb = definitions[0];
    EXPECT_EQ(redb.name, "redb");
    EXPECT_EQ(redb.image, "dspy-lightweight:latest");
    ASSERT_EQ(redb.ports.size(), 1U);
    EXPECT_EQ(redb.ports[0].container_port, 8080);
    EXPECT_EQ(redb.ports[0].host_port, 8080);
    const std::map<std::string, std::string> env{{"REDB_DATA_DIR", "/data"},
                                                 {"REDB_HOST", "0.0.0.0"},
                                                 {"REDB_PORT", "8080"},
                                                 {"REDB_NAMESPACE", "dspy"}};
    EXPECT_EQ(redb.env, env);
    ASSERT_EQ(redb.mounts.size(), 1U);
    EXPECT_EQ(redb.mounts[0].source, "redb_data");
    EXPECT_EQ(redb.mounts[0].target, "/data");
    EXPECT_TRUE(redb.depends_on.empty());
    EXPECT_EQ(redb.readiness.type, "http");
    EXPECT_EQ(redb.readiness.port, 8080);
    EXPECT_EQ(redb.readiness.path, "/health");
    EXPECT_EQ(redb.readiness.expected_status_min, 200);
    EXPECT_EQ(redb.readiness.expected_status_max, 299);
    EXPECT_FALSE(redb.optional);
}

}  // namespace
}  // namespace envmgr::plugins::services::redb
