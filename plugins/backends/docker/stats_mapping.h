// Resource usage from the engine's container stats, as the docker CLI computes it.
#pragma once

#include "plugins/backends/docker/json_selection.h"

#include <envmgr/sdk/documents.h>

#include <nlohmann/json.hpp>

namespace envmgr::plugins::backends::docker {

// CPU percent as the docker CLI computes it, memory without the page cache, network totals.
sdk::ResourceUsage usage_from_stats(const nlohmann::json& stats);
// The members usage_from_stats reads.
const JsonSelection& stats_selection();

}  // namespace envmgr::plugins::backends::docker
