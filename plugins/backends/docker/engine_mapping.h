// Translations between our JSON documents and the Docker Engine API's: pure functions, unit
// tested without an engine.
#pragma once

#include "json_selection.h"

#include <envmgr/abi.h>
#include <envmgr/sdk/documents.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace envmgr::docker {

// obj[key] when it is an object (or an array, for list_at); otherwise an empty one. The engine
// writes null for many absent members, which nlohmann's value() would hand back as null.
const nlohmann::json& object_at(const nlohmann::json& obj, const char* key);
const nlohmann::json& list_at(const nlohmann::json& obj, const char* key);

// POST /containers/create body for a container spec.
nlohmann::json container_create_body(const sdk::ContainerSpec& spec);

// Our container document from GET /containers/{id}/json.
nlohmann::json container_from_inspect(const nlohmann::json& inspect);
// The members container_from_inspect reads: parse_selected(body, inspect_selection()) gives
// it what parse(body) would, for a fraction of the cost.
const JsonSelection& inspect_selection();

// One entry of container.list from GET /containers/json.
nlohmann::json container_from_list_entry(const nlohmann::json& entry);
// The members container_from_list_entry reads, of each entry of the list.
const JsonSelection& list_entry_selection();

// The "filters" query value selecting containers with every label (key=value, or key alone).
std::string label_filters(const std::map<std::string, std::string>& labels, const std::string& type = {});

// CPU percent as the docker CLI computes it, memory without the page cache, network totals.
sdk::ResourceUsage usage_from_stats(const nlohmann::json& stats);
// The members usage_from_stats reads.
const JsonSelection& stats_selection();

// Unix seconds from the engine's RFC 3339 timestamps; 0 for the zero time or garbage.
std::int64_t unix_seconds(std::string_view rfc3339);

// The status for an engine error response, and its message (the engine's own words).
envmgr_status status_for_http(unsigned http_status);
std::string engine_message(const std::string& body, unsigned http_status);

// "redis:7-alpine" -> {"redis", "7-alpine"}; digests and registries with ports are kept.
std::pair<std::string, std::string> split_image_reference(const std::string& reference);
// The registry host an image reference pulls from ("docker.io" for plain names).
std::string registry_of(const std::string& reference);

// Percent-encoding for query values.
std::string url_encode(std::string_view text);
std::string base64url(std::string_view bytes);

}  // namespace envmgr::docker
