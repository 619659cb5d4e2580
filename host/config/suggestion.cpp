#include "host/config/suggestion.h"

#include <algorithm>

namespace envmgr::host::config {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::size_t edit_distance_under(std::string_view a, std::string_view b, std::size_t limit) {
    const std::size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (gap >= limit) return limit;
    return std::min(edit_distance(a, b), limit);
}

std::string closest_name(std::string_view word, const std::vector<std::string>& known) {
    std::string best;
    std::size_t best_distance = 3;  // more than two edits away is no suggestion
    for (const auto& name : known) {
        if (const auto distance = edit_distance_under(word, name, best_distance); distance < best_distance) {
            best_distance = distance;
            best = name;
        }
    }
    return best;
}

}  // namespace envmgr::host::config
