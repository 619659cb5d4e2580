#include "host/cli/command_line.h"

#include <gtest/gtest.h>

namespace envmgr::host::cli {
namespace {

TEST(CommandLine, FlagsAndValuesInBothForms) {
    const auto parsed =
        parse_command_line({"--list-plugins", "--json", "--config=/etc/e.toml", "--log-format", "json"});
    ASSERT_EQ(parsed.error, "");
    EXPECT_TRUE(parsed.command_line.list_plugins);
    EXPECT_TRUE(parsed.command_line.json);
    EXPECT_EQ(parsed.command_line.config_file, "/etc/e.toml");
    EXPECT_EQ(parsed.command_line.log_format, "json");
}

TEST(CommandLine, MistakesAreNamed) {
    EXPECT_EQ(parse_command_line({"--lst-plugins"}).error, "unknown argument '--lst-plugins' (see --help)");
    EXPECT_EQ(parse_command_line({"--log-format", "xml"}).error, "--log-format needs 'text' or 'json'");
    EXPECT_EQ(parse_command_line({"--config"}).error, "--config needs a file name");
    EXPECT_EQ(parse_command_line({"--json"}).error, "--json goes with --list-plugins or --print-config");
    EXPECT_TRUE(parse_command_line({"--print-config", "--json"}).error.empty());
}

}  // namespace
}  // namespace envmgr::host::cli
