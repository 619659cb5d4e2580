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

}  // namespace
}  // namespace envmgr::plugins::backends::docker
