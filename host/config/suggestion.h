// "Did you mean ...?" for a mistyped key: the closest of the known names, if close enough.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace envmgr::host::config {

// Levenshtein distance; keys are short, so the quadratic table is fine.
std::size_t edit_distance(std::string_view a, std::string_view b);

// edit_distance(a, b) when it is under limit, else limit. The distance is at least the length
// gap, so a long unknown word costs nothing against short known names (a configuration with
// many long unknown keys would otherwise take a quadratic table per key and known name).
std::size_t edit_distance_under(std::string_view a, std::string_view b, std::size_t limit);

// The known name at most two edits from word, or "".
std::string closest_name(std::string_view word, const std::vector<std::string>& known);

}  // namespace envmgr::host::config
