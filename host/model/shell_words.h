// Splits a command line into words as a POSIX shell would (quotes, backslashes, blanks), without
// running one: no expansion of variables, globs or command substitution. Lets a task name a
// command as one string while the image needs no shell.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envmgr::host::model {

struct ShellWords {
    std::vector<std::string> words;
    std::string error;  // "" when the line was well formed
};

// 'single quotes' keep everything; "double quotes" keep everything but \" \\ \$ \` and
// backslash-newline; an unquoted backslash keeps the next character. An unterminated quote or a
// trailing backslash is an error naming the column.
ShellWords split_shell_words(std::string_view line);

}  // namespace envmgr::host::model
