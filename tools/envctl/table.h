// A table of text fitted to a width: every column as wide as its widest cell, and when the
// whole is wider than the terminal, the widest columns shortened (with "…") until it fits.
#pragma once

#include <string>
#include <vector>

namespace envctl {

using Row = std::vector<std::string>;

// header first; each row as many cells as the header. Two spaces between columns; no trailing
// spaces. Lines end with '\n'.
std::string render_table(const std::vector<Row>& rows, int width);

}  // namespace envctl
