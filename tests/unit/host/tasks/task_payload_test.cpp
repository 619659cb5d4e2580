#include "host/tasks/task_payload.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace envmgr::host::tasks {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(TaskPayload, ReadsEveryKey) {
    const auto parsed = parse_task_payload({{"service", "redis"},
                                            {"command", "redis-cli -n 2 ping"},
                                            {"env", "A=1\n\nB=two=2\r\n"},
                                            {"workdir", "/data"},
                                            {"stdin", "input"}});
    ASSERT_EQ(parsed.error, "");
    EXPECT_EQ(parsed.payload.service, "redis");
    EXPECT_THAT(parsed.payload.argv, ElementsAre("redis-cli", "-n", "2", "ping"));
    EXPECT_EQ(parsed.payload.env, (std::map<std::string, std::string>{{"A", "1"}, {"B", "two=2"}}));
    EXPECT_EQ(parsed.payload.workdir, "/data");
    EXPECT_EQ(parsed.payload.stdin_data, "input");
}

TEST(TaskPayload, ShellTrueRunsTheLineThroughBinSh) {
    const auto parsed =
        parse_task_payload({{"image", "busybox"}, {"command", "echo $HOME | wc"}, {"shell", "true"}});
    ASSERT_EQ(parsed.error, "");
    EXPECT_THAT(parsed.payload.argv, ElementsAre("/bin/sh", "-c", "echo $HOME | wc"));
}

TEST(TaskPayload, AnImageMayRunItsOwnCommand) {
    const auto parsed = parse_task_payload({{"image", "busybox"}});
    EXPECT_EQ(parsed.error, "");
    EXPECT_TRUE(parsed.payload.argv.empty());
    EXPECT_FALSE(parsed.payload.stdin_data.has_value());
}

TEST(TaskPayload, BadPayloadsNameTheKey) {
    const auto error_of = [](const nlohmann::json& payload) { return parse_task_payload(payload).error; };
    EXPECT_THAT(error_of({{"command", "true"}}), HasSubstr("exactly one of service"));
    EXPECT_THAT(error_of({{"service", "a"}, {"image", "b"}, {"command", "true"}}),
                HasSubstr("exactly one of service"));
    EXPECT_THAT(error_of({{"service", "a"}}), HasSubstr("payload.command: required"));
    EXPECT_THAT(error_of({{"service", "a"}, {"command", "echo 'x"}}),
                HasSubstr("payload.command: unterminated"));
    EXPECT_THAT(error_of({{"service", "a"}, {"command", "x"}, {"shell", "yes"}}), HasSubstr("payload.shell"));
    EXPECT_THAT(error_of({{"service", "a"}, {"command", "x"}, {"env", "A=1\nnonsense"}}),
                HasSubstr("payload.env: line 2"));
    EXPECT_THAT(error_of({{"service", "a"}, {"command", "x"}, {"workdir", "tmp"}}),
                HasSubstr("payload.workdir"));
    EXPECT_THAT(error_of({{"service", "a"}, {"command", "x"}, {"colour", "red"}}),
                HasSubstr("payload.colour: unknown key"));
    EXPECT_THAT(error_of({{"service", 3}}), HasSubstr("payload.service: must be a string"));
}

}  // namespace
}  // namespace envmgr::host::tasks
