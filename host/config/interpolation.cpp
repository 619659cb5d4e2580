#include "host/config/interpolation.h"

#include <cctype>
#include <optional>
#include <utility>

namespace envmgr::host::config {
namespace {

bool is_name_char(char c, bool first) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalpha(u) != 0 || c == '_' || (!first && std::isdigit(u) != 0);
}

// One pass over the text; a braced reference's word (default, message, replacement) is read by
// the same loop, stopping at its closing brace, so words may hold references themselves.
class Expander {
public:
    Expander(std::string_view text, const Environment& environment, const InterpolationOptions& options,
             bool bare_names)
        : text_(text), environment_(environment), options_(options), bare_names_(bare_names) {}

    // Expands from pos up to the end (or, inside braces, up to the unmatched '}').
    std::optional<InterpolationError> expand_until(std::size_t& pos, bool inside_braces, Interpolated& into) {
        while (pos < text_.size()) {
            const char c = text_[pos];
            if (inside_braces && c == '}') return std::nullopt;
            if (c != '$') {
                into.text += c;
                ++pos;
                continue;
            }
            if (auto problem = reference(pos, into)) return problem;
        }
        if (inside_braces) return InterpolationError{"unterminated '${' (write '$$' for a literal '$')", 0};
        return std::nullopt;
    }

private:
    std::optional<InterpolationError> reference(std::size_t& pos, Interpolated& into) {
        const std::size_t start = pos;
        const char next = pos + 1 < text_.size() ? text_[pos + 1] : '\0';
        if (next == '$') {
            into.text += '$';
            pos += 2;
            return std::nullopt;
        }
        if (next == '{') return braced(pos, into);
        if (bare_names_ && is_name_char(next, true)) {
            pos += 1;
            const std::size_t name_start = pos;
            while (pos < text_.size() && is_name_char(text_[pos], false)) ++pos;
            return substitute(text_.substr(name_start, pos - name_start), start, into);
        }
        if (options_.lone_dollar_is_error) {
            return InterpolationError{
                "a '$' that starts no variable reference (write '$$' for a literal '$')", start};
        }
        into.text += '$';  // a lone '$' is kept, as in "$5"
        ++pos;
        return std::nullopt;
    }

    std::optional<InterpolationError> substitute(std::string_view name, std::size_t start,
                                                 Interpolated& into) {
        if (const auto value = environment_(name)) {
            into.text += *value;
        } else if (options_.missing == MissingVariable::empty) {
            into.missing.emplace_back(name);
        } else {
            return InterpolationError{"${" + std::string(name) + "} is not set and has no default (write ${" +
                                          std::string(name) + ":-value} to give one)",
                                      start};
        }
        return std::nullopt;
    }

    std::optional<InterpolationError> braced(std::size_t& pos, Interpolated& into) {
        const std::size_t start = pos;
        std::size_t cursor = pos + 2;
        while (cursor < text_.size() && is_name_char(text_[cursor], cursor == pos + 2)) ++cursor;
        const std::string_view name = text_.substr(pos + 2, cursor - pos - 2);
        if (cursor >= text_.size()) {
            return InterpolationError{"unterminated '${' (write '$$' for a literal '$')", start};
        }
        if (text_[cursor] == '}') {
            pos = cursor + 1;
            if (name.empty()) return not_a_reference(start, cursor);
            return substitute(name, start, into);
        }
        const bool colon = text_[cursor] == ':';
        const char op = text_[colon ? cursor + 1 : cursor];
        if (name.empty() || (op != '-' && op != '?' && op != '+')) {
            const std::size_t close = text_.find('}', cursor);
            if (close == std::string_view::npos) {
                return InterpolationError{"unterminated '${' (write '$$' for a literal '$')", start};
            }
            return not_a_reference(start, close);
        }
        cursor += colon ? 2 : 1;
        Interpolated word;
        auto word_problem = expand_until(cursor, true, word);
        if (cursor >= text_.size()) {  // no closing brace: wrong whether the word is used or not
            return InterpolationError{"unterminated '${' (write '$$' for a literal '$')", start};
        }
        pos = cursor + 1;
        return apply(name, colon, op, std::move(word), std::move(word_problem), start, into);
    }

    std::optional<InterpolationError> apply(std::string_view name, bool colon, char op, Interpolated word,
                                            std::optional<InterpolationError> word_problem, std::size_t start,
                                            Interpolated& into) {
        const auto value = environment_(name);
        const bool present = value.has_value() && (!colon || !value->empty());
        const bool word_used = (op == '+') == present;
        if (word_used && word_problem) return word_problem;
        if (op == '?' && !present) {
            const std::string why =
                word.text.empty() ? std::string(colon ? "is not set or empty" : "is not set") : word.text;
            return InterpolationError{"required variable " + std::string(name) + ": " + why, start};
        }
        if (word_used && op != '?') {
            into.text += word.text;
            into.missing.insert(into.missing.end(), word.missing.begin(), word.missing.end());
        } else if (op != '+' && value) {
            into.text += *value;
        }
        return std::nullopt;
    }

    std::optional<InterpolationError> not_a_reference(std::size_t start, std::size_t close) const {
        std::string message(1, '\'');
        message.append(text_.substr(start, close - start + 1));
        message.append("' is not a variable reference: use ${NAME} or ${NAME:-default}");
        return InterpolationError{std::move(message), start};
    }

    std::string_view text_;
    const Environment& environment_;
    const InterpolationOptions& options_;
    bool bare_names_;
};

}  // namespace

std::variant<Interpolated, InterpolationError> expand(std::string_view text, const Environment& environment,
                                                      const InterpolationOptions& options) {
    Interpolated result;
    result.text.reserve(text.size());
    Expander expander(text, environment, options, true);
    std::size_t pos = 0;
    if (auto problem = expander.expand_until(pos, false, result)) return *std::move(problem);
    return result;
}

std::variant<std::string, InterpolationError> interpolate(std::string_view text,
                                                          const Environment& environment) {
    // The TOML file predates bare `$NAME` references: a `$` before a name stays as written.
    const InterpolationOptions options;
    Interpolated result;
    Expander expander(text, environment, options, false);
    std::size_t pos = 0;
    if (auto problem = expander.expand_until(pos, false, result)) return *std::move(problem);
    return std::move(result.text);
}

}  // namespace envmgr::host::config
