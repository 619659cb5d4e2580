#include "host/model/shell_words.h"

namespace envmgr::host::model {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n';
}

// Inside double quotes a backslash escapes only these (POSIX 2.2.3).
bool escapable_in_double_quotes(char c) {
    return c == '"' || c == '\\' || c == '$' || c == '`' || c == '\n';
}

}  // namespace

ShellWords split_shell_words(std::string_view line) {
    ShellWords result;
    std::string word;
    bool in_word = false;  // '' is a word, so emptiness does not tell
    const auto fail = [&](const std::string& what, std::size_t at) {
        result.words.clear();
        result.error = what + " (column " + std::to_string(at + 1) + ")";
        return result;
    };
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (is_blank(c)) {
            if (in_word) result.words.push_back(std::move(word));
            word.clear();
            in_word = false;
            continue;
        }
        in_word = true;
        if (c == '\\') {
            if (i + 1 == line.size()) return fail("a backslash at the end of the command", i);
            if (line[i + 1] != '\n') word += line[i + 1];  // backslash-newline joins lines
            ++i;
        } else if (c == '\'') {
            const auto end = line.find('\'', i + 1);
            if (end == std::string_view::npos) return fail("unterminated single quote", i);
            word.append(line.substr(i + 1, end - i - 1));
            i = end;
        } else if (c == '"') {
            const std::size_t open = i;
            for (++i; i < line.size() && line[i] != '"'; ++i) {
                if (line[i] == '\\' && i + 1 < line.size() && escapable_in_double_quotes(line[i + 1])) {
                    if (line[i + 1] != '\n') word += line[i + 1];
                    ++i;
                } else {
                    word += line[i];
                }
            }
            if (i == line.size()) return fail("unterminated double quote", open);
        } else {
            word += c;
        }
    }
    if (in_word) result.words.push_back(std::move(word));
    return result;
}

}  // namespace envmgr::host::model
