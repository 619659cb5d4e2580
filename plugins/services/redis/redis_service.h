// service.redis: the stack's Redis, ready when it answers PING with +PONG.
#pragma once

#include <envmgr/sdk/sdk.h>

#include <vector>

namespace envmgr::plugins::services::redis {

class RedisService : public sdk::ServicePlugin {
public:
    static constexpr const char* id = "service.redis";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "Redis 7, the agent's cache and the mesh's coordination store";

    RedisService(const sdk::Host& host, const nlohmann::json& config);

    std::vector<sdk::ServiceDefinition> definitions();
};

}  // namespace envmgr::plugins::services::redis
