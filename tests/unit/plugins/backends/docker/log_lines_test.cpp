#include "plugins/backends/docker/log_lines.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace envmgr::plugins::backends::docker {
namespace {

using Line = std::tuple<std::string, std::string, std::int64_t>;

struct Collector {
    std::vector<Line> lines;
    LogLineAssembler::Emit emit() {
        return [this](const LogLine& line) {
            lines.emplace_back(std::string(line.stream), std::string(line.message), line.timestamp);
        };
    }
};

TEST(LogLines, TimestampIsSplitOffWhenPresent) {
    EXPECT_EQ(split_log_timestamp("1970-01-01T00:01:00.5Z hello world"),
              std::make_pair(std::int64_t{60}, std::string_view("hello world")));
    EXPECT_EQ(split_log_timestamp("no timestamp here"),
              std::make_pair(std::int64_t{0}, std::string_view("no timestamp here")));
}

TEST(LogLines, LinesAreCutAtNewlinesAcrossChunksAndStreamsStayApart) {
    LogLineAssembler assembler;
    Collector out;
    assembler.feed("stdout", "1970-01-01T00:00:01Z par", false, out.emit());
    assembler.feed("stderr", "1970-01-01T00:00:02Z err\n", false, out.emit());
    assembler.feed("stdout", "tial\n1970-01-01T00:00:03Z next\n", false, out.emit());
    EXPECT_EQ(out.lines,
              (std::vector<Line>{{"stderr", "err", 2}, {"stdout", "partial", 1}, {"stdout", "next", 3}}));
}

TEST(LogLines, TheRestIsDeliveredOnFlushAndALineWithoutEndInPieces) {
    LogLineAssembler assembler;
    Collector out;
    assembler.feed("stdout", "no newline", false, out.emit());
    EXPECT_TRUE(out.lines.empty());
    assembler.feed("stdout", "", true, out.emit());
    ASSERT_EQ(out.lines.size(), 1U);
    EXPECT_EQ(std::get<1>(out.lines[0]), "no newline");

    out.lines.clear();
    assembler.feed("stdout", std::string(LogLineAssembler::kMaxLine + 1, 'x'), false, out.emit());
    ASSERT_EQ(out.lines.size(), 1U);
    EXPECT_EQ(std::get<1>(out.lines[0]).size(), LogLineAssembler::kMaxLine + 1);
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
