// The only export glue of service.redis.
#include "plugins/services/redis/redis_service.h"

ENVMGR_EXPORT_PLUGIN(envmgr::plugins::services::redis::RedisService)
