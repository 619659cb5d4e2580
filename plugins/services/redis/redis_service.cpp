#include "plugins/services/redis/redis_service.h"

#include "plugins/services/common/definition_document.h"

namespace envmgr::plugins::services::redis {

RedisService::RedisService(const sdk::Host& host, const nlohmann::json&) : ServicePlugin(host) {}

std::vector<sdk::ServiceDefinition> RedisService::definitions() {
    // A RESP PING: a reply of +PONG means Redis serves; -LOADING (still reading its dump) or
    // -NOAUTH does not count as ready, and a bare connect would not tell the engine's port
    // proxy (which accepts on a published port before Redis listens) from Redis.
    return common::definitions_from(R"([{
      "name": "redis",
      "image": "redis:7-alpine",
      "ports": [{"container_port": 6379, "host_port": 6379}],
      "mounts": [{"type": "volume", "source": "redis_data", "target": "/data"}],
      "readiness": {"type": "tcp", "port": 6379, "send": "*1\r\n$4\r\nPING\r\n", "expect": "+PONG"}
    }])");
}

}  // namespace envmgr::plugins::services::redis
