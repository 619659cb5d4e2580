#include "plugins/services/redb/redb_service.h"

#include "plugins/services/common/definition_document.h"

namespace envmgr::plugins::services::redb {

RedbService::RedbService(const sdk::Host& host, const nlohmann::json&) : ServicePlugin(host) {}

std::vector<sdk::ServiceDefinition> RedbService::definitions() {
    return common::definitions_from(R"([{
      "name": "redb",
      "image": "dspy-lightweight:latest",
      "ports": [{"container_port": 8080, "host_port": 8080}],
      "env": {"REDB_DATA_DIR": "/data", "REDB_HOST": "0.0.0.0", "REDB_PORT": "8080", "REDB_NAMESPACE": "dspy"},
      "mounts": [{"type": "volume", "source": "redb_data", "target": "/data"}],
      "readiness": {"type": "http", "port": 8080, "path": "/health"}
    }])");
}

}  // namespace envmgr::plugins::services::redb
