#include "plugins/services/redis/redis_service.h"

#include <envmgr/sdk/testing/fake_host.h>

#include <gtest/gtest.h>

namespace envmgr::plugins::services::redis {
namespace {

TEST(RedisService, IsTheDefinitionOfServicesMd) {
    sdk::testing::FakeHost fake;
    RedisService plugin(fake.host(), nlohmann::json::object());
    const auto definitions = plugin.definitions();
    ASSERT_EQ(definitions.size(), 1U);
    const auto& redis = definitions[0];
    EXPECT_EQ(redis.name, "redis");
    EXPECT_EQ(redis.image, "redis:7-alpine");
    ASSERT_EQ(redis.ports.size(), 1U);
    EXPECT_EQ(redis.ports[0].container_port, 6379);
    EXPECT_EQ(redis.ports[0].host_port, 6379);
    EXPECT_EQ(redis.ports[0].host_ip, "");  // the registry fills [defaults].host_ip (127.0.0.1)
    EXPECT_EQ(redis.ports[0].protocol, "tcp");
    EXPECT_TRUE(redis.env.empty());
    ASSERT_EQ(redis.mounts.size(), 1U);
    EXPECT_EQ(redis.mounts[0].type, "volume");
    EXPECT_EQ(redis.mounts[0].source, "redis_data");
    EXPECT_EQ(redis.mounts[0].target, "/data");
    EXPECT_TRUE(redis.depends_on.empty());
    EXPECT_EQ(redis.readiness.type, "tcp");
    EXPECT_EQ(redis.readiness.port, 6379);
    EXPECT_EQ(redis.readiness.send, "*1\r\n$4\r\nPING\r\n");
    EXPECT_EQ(redis.readiness.expect, "+PONG");
    EXPECT_FALSE(redis.optional);
    EXPECT_EQ(redis.gpu, "none");
}

}  // namespace
}  // namespace envmgr::plugins::services::redis
