#include "plugins/backends/docker/engine_time.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

TEST(EngineTime, Rfc3339ToUnixSecondsHonoursOffsetsAndRejectsGarbage) {
    EXPECT_EQ(unix_seconds("1970-01-01T00:01:00Z"), 60);
    EXPECT_EQ(unix_seconds("1970-01-01T01:00:00+01:00"), 0);
    EXPECT_EQ(unix_seconds("garbage"), 0);
    EXPECT_EQ(unix_seconds("0001-01-01T00:00:00Z"), 0);
}

TEST(EngineTime, Rfc3339ToUnixNanosKeepsTheEnginesFraction) {
    EXPECT_EQ(unix_nanos("1970-01-01T00:01:00.123456789Z"), 60'123'456'789);
    EXPECT_EQ(unix_nanos("1970-01-01T00:01:00.5Z"), 60'500'000'000);
    EXPECT_EQ(unix_nanos("1970-01-01T00:01:00Z"), 60'000'000'000);
    EXPECT_EQ(unix_nanos("1970-01-01T00:01:00.1234567891Z"), 60'123'456'789);  // beyond ns: cut
    EXPECT_EQ(unix_nanos("0001-01-01T00:00:00Z"), 0);
    EXPECT_EQ(unix_nanos("garbage"), 0);
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
