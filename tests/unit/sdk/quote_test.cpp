#include <envmgr/sdk/quote.h>

#include <gtest/gtest.h>

#include <string>

namespace envmgr::sdk {
namespace {

TEST(Quote, ShortInputIsQuotedWhole) {
    EXPECT_EQ(quote_input("redis"), "'redis'");
    EXPECT_EQ(cut_input("redis"), "redis");
    EXPECT_EQ(quote_input(""), "''");
}

TEST(Quote, LongInputIsCutToAPrefixWithItsLength) {
    const std::string name(10'000, 'a');
    EXPECT_EQ(quote_input(name), "'" + std::string(kQuotedMax, 'a') + "'... (10000 bytes)");
    EXPECT_EQ(cut_input(name, 4), "aaaa... (10000 bytes)");
    EXPECT_LT(quote_input(std::string(4'000'000, 'x')).size(), 100U);
}

TEST(Quote, ControlCharactersAreEscapedSoALogLineStaysOneLine) {
    EXPECT_EQ(quote_input("a\nb\x1b[31m"), "'a\\x0Ab\\x1B[31m'");
}

TEST(Quote, TheCutNeverSplitsAUtf8Character) {
    const std::string text = "ab\xC3\xA9";  // "abé": é is two bytes
    EXPECT_EQ(cut_input(text, 3), "ab... (4 bytes)");
    EXPECT_EQ(cut_input(text, 4), "ab\xC3\xA9");
}

}  // namespace
}  // namespace envmgr::sdk
