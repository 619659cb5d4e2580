// Operation name -> handler. Each family of operations lives in its own *_operations.cpp and
// adds its entries here; a new operation touches only its family's file.
#pragma once

#include "plugins/backends/docker/engine_api.h"
#include "plugins/backends/docker/operation.h"

#include <string_view>
#include <unordered_map>

namespace envmgr::plugins::backends::docker {

// Starts the operation on the io thread. A request it cannot use throws sdk::Error(INVALID).
using OperationHandler = void (*)(EngineApi& engine, const OperationPtr& op);
using OperationTable = std::unordered_map<std::string_view, OperationHandler>;

void add_system_operations(OperationTable& table);     // system.*
void add_image_operations(OperationTable& table);      // image.*
void add_container_operations(OperationTable& table);  // container.* but logs and exec
void add_logs_operations(OperationTable& table);       // container.logs
void add_exec_operations(OperationTable& table);       // container.exec
void add_run_operations(OperationTable& table);        // container.run
void add_events_operations(OperationTable& table);     // events.stream
void add_object_operations(OperationTable& table);     // network.*, volume.*

// Every operation backend.docker offers.
const OperationTable& operation_table();

}  // namespace envmgr::plugins::backends::docker
