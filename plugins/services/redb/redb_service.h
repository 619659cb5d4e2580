// service.redb: RedB, the agent's document store, ready when GET /health is 2xx.
#pragma once

#include <envmgr/sdk/sdk.h>

#include <vector>

namespace envmgr::plugins::services::redb {

class RedbService : public sdk::ServicePlugin {
public:
    static constexpr const char* id = "service.redb";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "RedB, the agent's document store";

    RedbService(const sdk::Host& host, const nlohmann::json& config);

    std::vector<sdk::ServiceDefinition> definitions();
};

}  // namespace envmgr::plugins::services::redb
