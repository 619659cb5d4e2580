// Image references ("registry:5000/team/app:1.2", "redis:7-alpine", "app@sha256:...").
#pragma once

#include <string>
#include <utility>

namespace envmgr::plugins::backends::docker {

// "redis:7-alpine" -> {"redis", "7-alpine"}; digests and registries with ports are kept.
std::pair<std::string, std::string> split_image_reference(const std::string& reference);
// The registry host an image reference pulls from ("docker.io" for plain names).
std::string registry_of(const std::string& reference);

}  // namespace envmgr::plugins::backends::docker
