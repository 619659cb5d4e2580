#include "tools/envctl/exit_codes.h"
#include "tools/envctl/log_cursor.h"
#include "tools/envctl/session.h"
#include "tools/envctl/table.h"
#include "tools/envctl/terminal.h"
#include "tools/envctl/up_view.h"

#include <gtest/gtest.h>

#include <ctime>

namespace envctl {
namespace {

TEST(DialAddress, TheDaemonsWildcardListenAddressMeansThisHost) {
    EXPECT_EQ(dial_address("0.0.0.0:50100"), "127.0.0.1:50100");
    EXPECT_EQ(dial_address("[::]:50100"), "[::1]:50100");
    EXPECT_EQ(dial_address(":50100"), "127.0.0.1:50100");
    EXPECT_EQ(dial_address("unix:/run/env-manager.sock"), "unix:/run/env-manager.sock");
    EXPECT_EQ(dial_address("10.0.0.5:50100"), "10.0.0.5:50100");
}

TEST(RenderTable, ColumnsAsWideAsTheirWidestCellWithoutTrailingSpaces) {
    const auto table =
        render_table({{"SERVICE", "STATE"}, {"redis", "healthy"}, {"infermesh-router", "failed"}}, 120);
    EXPECT_EQ(table,
              "SERVICE           STATE\n"
              "redis             healthy\n"
              "infermesh-router  failed\n");
}

TEST(RenderTable, TheWidestColumnGivesWayToFitTheTerminal) {
    const std::string message(100, 'x');
    const auto table = render_table({{"SERVICE", "MESSAGE"}, {"redis", message}}, 40);
    for (std::size_t start = 0, end = 0; (end = table.find('\n', start)) != std::string::npos;
         start = end + 1) {
        EXPECT_LE(display_width(std::string_view(table).substr(start, end - start)), 40U);
    }
    EXPECT_NE(table.find("…"), std::string::npos);
}

TEST(Fit, CutsWholeCharactersAndMarksTheCut) {
    EXPECT_EQ(fit("redis", 10), "redis");
    EXPECT_EQ(fit("abcdef", 4), "abc…");
    EXPECT_EQ(display_width(fit("✔✔✔✔✔✔", 4)), 4U);
}

TEST(Human, BytesAndDurations) {
    EXPECT_EQ(human_bytes(0), "0 B");
    EXPECT_EQ(human_bytes(1536), "1.5 KiB");
    EXPECT_EQ(human_bytes(12.0 * 1024 * 1024), "12.0 MiB");
    EXPECT_EQ(human_duration(0.85), "850ms");
    EXPECT_EQ(human_duration(3.21), "3.2s");
    EXPECT_EQ(human_duration(245), "4m05s");
    EXPECT_EQ(human_duration(7800), "2h10m");
    EXPECT_EQ(utc_time(0), "1970-01-01T00:00:00Z");
}

TEST(Terminal, NoColourOffATerminal) {
    std::FILE* file = std::tmpfile();
    const Terminal terminal(file);
    EXPECT_FALSE(terminal.interactive());
    EXPECT_EQ(terminal.paint("failed", Colour::red), "failed");
    std::fclose(file);
}

TEST(ParseSince, SecondsDurationsAndUtcTimes) {
    EXPECT_EQ(parse_since(""), 0);
    EXPECT_EQ(parse_since("1700000000"), 1700000000);
    EXPECT_EQ(parse_since("2026-12-05T10:00:00Z"), 1796464800);
    EXPECT_NEAR(static_cast<double>(parse_since("10m")), static_cast<double>(std::time(nullptr) - 600), 2);
    try {
        parse_since("yesterday");
        FAIL() << "no error";
    } catch (const CommandError& error) {
        EXPECT_EQ(error.exit_code(), kExitUsage);
        EXPECT_NE(std::string(error.what()).find("'yesterday'"), std::string::npos);
    }
}

TEST(LogCursor, TheSameContainerResumesWithoutRepeatingALine) {
    LogCursor cursor;
    EXPECT_TRUE(cursor.admit("c1", 100, "a"));
    EXPECT_TRUE(cursor.admit("c1", 101, "b"));
    EXPECT_TRUE(cursor.admit("c1", 101, "c"));
    cursor.next_run("c1");  // restarted in place: the engine resends from second 101
    EXPECT_EQ(cursor.resume_since(), 101);
    EXPECT_FALSE(cursor.admit("c1", 101, "b"));
    EXPECT_FALSE(cursor.admit("c1", 101, "c"));
    EXPECT_TRUE(cursor.admit("c1", 101, "d"));  // new in the same second
    EXPECT_TRUE(cursor.admit("c1", 105, "e"));
}

TEST(LogCursor, ANewContainerIsReadFromItsStart) {
    LogCursor cursor;
    EXPECT_TRUE(cursor.admit("c1", 100, "a"));
    cursor.next_run("c2");
    EXPECT_EQ(cursor.resume_since(), 0);
    EXPECT_TRUE(cursor.admit("c2", 90, "a"));
}

TEST(UpView, PlainModePrintsOneLinePerStateChange) {
    std::FILE* file = std::tmpfile();
    const Terminal terminal(file);
    UpView view(OutputMode::plain, terminal, file);
    ::env_manager::v1::ServiceStatusUpdate update;
    update.set_service_name("redis");
    for (const char* state : {"starting", "waiting-healthy", "waiting-healthy", "healthy"}) {
        update.set_status(state);
        view.update(update);
    }
    update.set_service_name("migrate");
    update.set_status("stopped");
    update.set_message("completed (exit code 0)");
    view.update(update);
    std::rewind(file);
    std::string text(4096, '\0');
    text.resize(std::fread(text.data(), 1, text.size(), file));
    std::fclose(file);
    EXPECT_NE(text.find("s redis starting\n"), std::string::npos) << text;
    EXPECT_NE(text.find("s redis healthy\n"), std::string::npos) << text;
    EXPECT_NE(text.find("s migrate completed  completed (exit code 0)\n"), std::string::npos) << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
    EXPECT_EQ(view.pending(), "nothing reported yet");
}

}  // namespace
}  // namespace envctl
