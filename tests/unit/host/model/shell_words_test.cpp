#include "host/model/shell_words.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace envmgr::host::model {
namespace {

using ::testing::ElementsAre;

TEST(ShellWords, SplitsOnBlanksAndKeepsQuotedTextWhole) {
    EXPECT_THAT(split_shell_words("  echo   a\tb\n").words, ElementsAre("echo", "a", "b"));
    EXPECT_THAT(split_shell_words(R"(sh -c 'echo $HOME; exit 3')").words,
                ElementsAre("sh", "-c", "echo $HOME; exit 3"));
    EXPECT_THAT(split_shell_words(R"(printf "%s \"q\" \$x \n" a\ b)").words,
                ElementsAre("printf", R"(%s "q" $x \n)", "a b"));
    EXPECT_THAT(split_shell_words(R"(a'b'"c"d)").words, ElementsAre("abcd"));
}

TEST(ShellWords, AnEmptyQuotedWordIsAWord) {
    EXPECT_THAT(split_shell_words("set -- '' \"\"").words, ElementsAre("set", "--", "", ""));
    EXPECT_TRUE(split_shell_words("   ").words.empty());
}

TEST(ShellWords, NothingIsExpanded) {
    EXPECT_THAT(split_shell_words("echo $PATH * ~ $(id)").words,
                ElementsAre("echo", "$PATH", "*", "~", "$(id)"));
}

TEST(ShellWords, BrokenLinesAreRefusedWithTheColumn) {
    EXPECT_EQ(split_shell_words("echo 'open").error, "unterminated single quote (column 6)");
    EXPECT_EQ(split_shell_words("echo \"open").error, "unterminated double quote (column 6)");
    EXPECT_EQ(split_shell_words("echo \\").error, "a backslash at the end of the command (column 6)");
    EXPECT_TRUE(split_shell_words("echo 'open").words.empty());
}

}  // namespace
}  // namespace envmgr::host::model
