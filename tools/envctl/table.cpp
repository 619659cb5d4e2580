#include "tools/envctl/table.h"

#include "tools/envctl/terminal.h"

#include <algorithm>
#include <numeric>

namespace envctl {
namespace {

constexpr std::size_t kGap = 2;
constexpr std::size_t kNarrowest = 4;  // a column is never shortened below this

std::vector<std::size_t> natural_widths(const std::vector<Row>& rows) {
    std::vector<std::size_t> widths(rows.empty() ? 0 : rows.front().size(), 0);
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            widths[i] = std::max(widths[i], display_width(row[i]));
        }
    }
    return widths;
}

// Takes a column from the widest one at a time until the table fits (or nothing can give).
void shrink_to(std::vector<std::size_t>& widths, std::size_t width) {
    const auto total = [&widths] {
        return std::accumulate(widths.begin(), widths.end(), std::size_t{0}) +
               kGap * (widths.empty() ? 0 : widths.size() - 1);
    };
    while (total() > width) {
        const auto widest = std::max_element(widths.begin(), widths.end());
        if (widest == widths.end() || *widest <= kNarrowest) return;
        --*widest;
    }
}

}  // namespace

std::string render_table(const std::vector<Row>& rows, int width) {
    auto widths = natural_widths(rows);
    shrink_to(widths, static_cast<std::size_t>(std::max(width, 20)));
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            const std::string cell = fit(i < row.size() ? row[i] : "", widths[i]);
            line += cell;
            if (i + 1 < widths.size()) line.append(widths[i] - display_width(cell) + kGap, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + '\n';
    }
    return out;
}

}  // namespace envctl
