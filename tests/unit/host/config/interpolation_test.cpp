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

namespace envmgr::host::config {
namespace {

// Compose's rules: an unset variable reads as "" (and is reported), a set but empty one is set.
std::string compose(std::string_view input) {
    const Environment environment = [](std::string_view name) -> std::optional<std::string> {
        if (name == "SET") return std::string("v");
        if (name == "EMPTY") return std::string();
        return std::nullopt;
    };
    auto result = expand(input, environment, {MissingVariable::empty, true});
    if (auto* error = std::get_if<InterpolationError>(&result)) {
        return "error at " + std::to_string(error->offset) + ": " + error->message;
    }
    auto& done = std::get<Interpolated>(result);
    std::string missing;
    for (const auto& name : done.missing) missing += " missing:" + name;
    return done.text + missing;
}

TEST(ComposeInterpolation, EveryFormOfTheSpecification) {
    EXPECT_EQ(compose("$SET ${SET} $$SET $${SET}"), "v v $SET ${SET}");
    EXPECT_EQ(compose("[${UNSET:-d}|${EMPTY:-d}|${UNSET-d}|${EMPTY-d}]"), "[d|d|d|]");
    EXPECT_EQ(compose("[${SET:+r}|${EMPTY:+r}|${EMPTY+r}|${UNSET+r}]"), "[r||r|]");
    EXPECT_EQ(compose("${UNSET:-${ALSO_UNSET:-${SET}}}"), "v");  // nested defaults
    EXPECT_EQ(compose("[$UNSET]"), "[] missing:UNSET");
    EXPECT_EQ(compose("${SET:?not used}${EMPTY?set, so fine}"), "v");
    EXPECT_EQ(compose("${SET:-${UNUSED:?never read}}"), "v");  // a word not used is not evaluated
}

TEST(ComposeInterpolation, ErrorsSayWhatAndWhere) {
    EXPECT_EQ(compose("x ${EMPTY:?give it a value}"), "error at 2: required variable EMPTY: give it a value");
    EXPECT_EQ(compose("x ${UNSET?}"), "error at 2: required variable UNSET: is not set");
    EXPECT_EQ(compose("cost 5$"),
              "error at 6: a '$' that starts no variable reference (write '$$' for a literal '$')");
    EXPECT_EQ(compose("${SET:-open"), "error at 0: unterminated '${' (write '$$' for a literal '$')");
    EXPECT_EQ(compose("${SET:x}"),
              "error at 0: '${SET:x}' is not a variable reference: use ${NAME} or ${NAME:-default}");
}

}  // namespace
}  // namespace envmgr::host::config
