#include "host/config/interpolation.h"

#include <gtest/gtest.h>

namespace envmgr::host::config {
namespace {

std::string text(std::string_view input) {
    const auto environment = map_environment({{"TAG", "7.2"}, {"HOST", "db"}});
    auto result = interpolate(input, environment);
    if (auto* error = std::get_if<InterpolationError>(&result)) return "error: " + error->message;
    return std::get<std::string>(result);
}

TEST(Interpolation, ReplacesVariablesAndDefaults) {
    EXPECT_EQ(text("redis:${TAG}"), "redis:7.2");
    EXPECT_EQ(text("${HOST}:${PORT:-6379}"), "db:6379");
    EXPECT_EQ(text("${EMPTY:-}"), "");
    EXPECT_EQ(text("cost $$5 and $5"), "cost $5 and $5");
    EXPECT_EQ(text("no references"), "no references");
}

TEST(Interpolation, NamesWhatIsWrong) {
    EXPECT_EQ(text("${MISSING}"),
              "error: ${MISSING} is not set and has no default (write ${MISSING:-value} to give one)");
    EXPECT_EQ(text("${TAG"), "error: unterminated '${' (write '$$' for a literal '$')");
    EXPECT_EQ(text("${1BAD}"),
              "error: '${1BAD}' is not a variable reference: use ${NAME} or ${NAME:-default}");
}

}  // namespace
}  // namespace envmgr::host::config
