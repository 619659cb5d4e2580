#include "host/config/log_level.h"

#include <gtest/gtest.h>

namespace envmgr::host::config {

TEST(LogLevel, PlainLevelsAreAcceptedInAnyCase) {
    EXPECT_EQ(normalize_level("DEBUG"), "debug");
    EXPECT_EQ(normalize_level(" warning "), "warn");
    EXPECT_EQ(normalize_level("off"), "off");
    EXPECT_FALSE(normalize_level("loud"));
}

TEST(LogLevel, RustLogSimpleFormsSelectOurTarget) {
    EXPECT_EQ(level_from_directives("debug"), "debug");
    EXPECT_EQ(level_from_directives("env_manager=debug"), "debug");
    EXPECT_EQ(level_from_directives("warn,env_manager=trace"), "trace");
    EXPECT_EQ(level_from_directives("env_manager_rs=error,info"), "error");
    EXPECT_EQ(level_from_directives("env_manager::health=debug"), "debug");
}

TEST(LogLevel, DirectivesForOtherTargetsFallBackToGlobalOrInfo) {
    EXPECT_EQ(level_from_directives("hyper=debug,warn"), "warn");
    EXPECT_EQ(level_from_directives("hyper=debug"), "info");
}

TEST(LogLevel, UnreadableDirectivesAreRejected) {
    EXPECT_FALSE(level_from_directives("loud"));
    EXPECT_FALSE(level_from_directives(""));
    EXPECT_FALSE(level_from_directives("env_manager=loud"));
}

}  // namespace envmgr::host::config
