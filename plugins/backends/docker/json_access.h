// Reading the engine's JSON defensively: the engine writes null for many absent members.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace envmgr::plugins::backends::docker {

// obj[key] when it is an object (or an array, for list_at); otherwise an empty one. The engine
// writes null for many absent members, which nlohmann's value() would hand back as null.
const nlohmann::json& object_at(const nlohmann::json& obj, const char* key);
const nlohmann::json& list_at(const nlohmann::json& obj, const char* key);
// obj[key] when it is a number, else 0.
std::int64_t int_or_zero(const nlohmann::json& obj, const char* key);
// obj[key] when it is a string, else "".
std::string text_or_empty(const nlohmann::json& obj, const char* key);

}  // namespace envmgr::plugins::backends::docker
