#include "plugins/backends/docker/api_version.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

TEST(ApiVersion, OnlyMajorDotMinorIsAVersion) {
    EXPECT_EQ(api_version_number("1.41"), 1041);
    EXPECT_EQ(api_version_number("1.9"), 1009);
    for (const char* bad : {"", "1", "1.", ".4", "v1.41", "1.41x", "one.two"}) {
        EXPECT_EQ(api_version_number(bad), 0) << bad;
    }
}

TEST(ApiVersion, TheOlderOfEngineAndClientIsChosen) {
    EXPECT_EQ(choose_api_version("1.41", "1.43"), "1.41");
    EXPECT_EQ(choose_api_version("1.45", "1.43"), "1.43");
    EXPECT_EQ(choose_api_version("1.43", "1.43"), "1.43");
    EXPECT_EQ(choose_api_version("", "1.43"), std::nullopt);
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
