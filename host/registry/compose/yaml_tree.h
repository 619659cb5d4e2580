// A YAML document read into JSON with the place each value was written, so that everything
// built from it later can say file, line and column. yaml-cpp reads the text (anchors and
// aliases included); merge keys ("<<"), which yaml-cpp leaves as plain keys, are applied here.
#pragma once

#include "host/registry/compose/compose_problem.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace envmgr::host::registry::compose {

struct YamlTree {
    nlohmann::json value;
    std::map<std::string, SourceLocation> locations;   // JSON pointer -> where its value was written
    std::map<std::string, SourceLocation> key_places;  // JSON pointer of a mapping entry -> its key

    // Where the value at pointer (or its nearest ancestor with a known place) was written.
    [[nodiscard]] SourceLocation at(std::string pointer) const;
};

// Plain scalars take the YAML 1.2 core schema's types (null, true/false, integers, floats);
// quoted ones stay strings. Text that is not UTF-8, a duplicate key, a merge key whose value is
// not a mapping (or a list of them), and a document that aliases expand beyond kMaxYamlValues
// (far beyond any Compose file: a few thousand values for dozens of services) are refused.
inline constexpr std::size_t kMaxYamlValues = 100'000;
std::variant<YamlTree, ComposeProblem> read_yaml(std::string_view text, const std::string& file);

// Where text stops being UTF-8 (line and column of the first bad byte), if it does.
std::optional<SourceLocation> invalid_utf8_place(std::string_view text, const std::string& file);

// "/services/web/ports" from its parts, escaped as RFC 6901 says.
std::string pointer_append(const std::string& pointer, std::string_view token);

}  // namespace envmgr::host::registry::compose
