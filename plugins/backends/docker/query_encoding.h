// What goes into engine request URLs and headers.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace envmgr::plugins::backends::docker {

// The "filters" query value selecting containers with every label (key=value, or key alone).
std::string label_filters(const std::map<std::string, std::string>& labels, const std::string& type = {});

// Percent-encoding for query values and path segments.
std::string url_encode(std::string_view text);
// For X-Registry-Auth.
std::string base64url(std::string_view bytes);

}  // namespace envmgr::plugins::backends::docker
