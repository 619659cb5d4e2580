// Containers between our documents (docs/container-spec.md, backend-operations.md) and the
// engine's: pure functions, unit tested without an engine.
#pragma once

#include "plugins/backends/docker/json_selection.h"

#include <envmgr/sdk/documents.h>

#include <nlohmann/json.hpp>

namespace envmgr::plugins::backends::docker {

// POST /containers/create body for a container spec.
nlohmann::json container_create_body(const sdk::ContainerSpec& spec);

// request["spec"] read and validated; throws sdk::Error(INVALID) naming the bad field.
sdk::ContainerSpec container_spec_of(const nlohmann::json& request);

// Our container document from GET /containers/{id}/json.
nlohmann::json container_from_inspect(const nlohmann::json& inspect);
// The members container_from_inspect reads: parse_selected(body, inspect_selection()) gives
// it what parse(body) would, for a fraction of the cost.
const JsonSelection& inspect_selection();

// One entry of container.list from GET /containers/json.
nlohmann::json container_from_list_entry(const nlohmann::json& entry);
// The members container_from_list_entry reads, of each entry of the list.
const JsonSelection& list_entry_selection();

}  // namespace envmgr::plugins::backends::docker
