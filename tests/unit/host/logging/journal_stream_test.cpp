#include "host/logging/journal_stream.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <cstdlib>
#include <string>

namespace envmgr::host::logging {
namespace {

TEST(JournalStream, ParsesDeviceAndInodeAsSystemdWritesThem) {
    const auto identity = parse_journal_stream("8:123456");
    ASSERT_TRUE(identity.has_value());
    EXPECT_EQ(identity->device, 8U);
    EXPECT_EQ(identity->inode, 123456U);
}

TEST(JournalStream, RefusesMalformedValues) {
    for (const char* value : {"", "8", ":1", "8:", "8:x", "x:8", "8:1:2", "-1:2"}) {
        EXPECT_FALSE(parse_journal_stream(value).has_value()) << value;
    }
}

TEST(JournalStream, StderrIsTheJournalOnlyWhenTheVariableNamesItsOwnDescriptor) {
    struct stat status {};
    ASSERT_EQ(fstat(STDERR_FILENO, &status), 0);
    const std::string own = std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino);
    const std::string other = std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino + 1);
    ASSERT_EQ(setenv("JOURNAL_STREAM", own.c_str(), 1), 0);
    EXPECT_TRUE(stderr_is_journal());
    ASSERT_EQ(setenv("JOURNAL_STREAM", other.c_str(), 1), 0);  // inherited, then redirected
    EXPECT_FALSE(stderr_is_journal());
    ASSERT_EQ(unsetenv("JOURNAL_STREAM"), 0);
    EXPECT_FALSE(stderr_is_journal());
}

}  // namespace
}  // namespace envmgr::host::logging
