#include "host/timeline/timeline_svg.h"
#include "host/timeline/timeline_book.h"

#include <gtest/gtest.h>

namespace envmgr::host::timeline {
namespace {

sdk::TimelineRun sample_run() {
    sdk::TimelineRun run;
    run.tenant = "default";
    run.kind = "start";
    run.total = 1500;
    run.services = {
        {"redis", {}, "ready", "", false, 0, 5, 5, 5, 15, 400, 450, -1},
        {"node<&>", {"redis"}, "ready", "", true, 0, 5, 450, 450, 460, 900, 1000, -1},
        {"router", {"node<&>"}, "failed", "probe failed", false, 0, 5, 1000, 1000, 1010, 1400, -1, 1500},
    };
    run.critical_chain = {{"redis", 450, 445, "", ""}, {"node<&>", 1000, 550, "redis", "ready"}};
    run.chain_of = "node<&>";
    return run;
}

TEST(TimelineSvg, NamesEveryServiceEscapedWithALegendAndAnAxis) {
    const auto svg = timeline_svg(sample_run());
    EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos) << svg.substr(0, 120);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
    EXPECT_NE(svg.find(">redis<"), std::string::npos);
    EXPECT_NE(svg.find("node&lt;&amp;&gt;"), std::string::npos);
    EXPECT_EQ(svg.find("node<&>"), std::string::npos);  // never raw markup
    EXPECT_NE(svg.find(">router<"), std::string::npos);
    for (const char* phase : {"images", "waiting", "create", "start", "probe"}) {
        EXPECT_NE(svg.find(phase), std::string::npos) << phase;
    }
    EXPECT_NE(svg.find("critical chain"), std::string::npos);
    EXPECT_NE(svg.find(" ms<"), std::string::npos);  // axis labels
}

TEST(TimelineSvg, AnEmptyRunIsStillAPicture) {
    sdk::TimelineRun run;
    run.tenant = "default";
    const auto svg = timeline_svg(run);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

TEST(TimelineBook, KeepsTheLastRunsOfEachTenantNewestFirst) {
    TimelineBook book;
    for (int i = 0; i < 7; ++i) {
        sdk::TimelineRun run;
        run.tenant = "a";
        run.started_unix_ms = i;
        book.add(run);
    }
    sdk::TimelineRun other;
    other.tenant = "b";
    book.add(other);
    const auto runs = book.runs("a").runs;
    ASSERT_EQ(runs.size(), TimelineBook::kRunsKept);
    EXPECT_EQ(runs.front().started_unix_ms, 6);
    EXPECT_EQ(runs.back().started_unix_ms, 2);
    EXPECT_EQ(book.runs("b").runs.size(), 1U);
    EXPECT_TRUE(book.runs("c").runs.empty());
}

}  // namespace
}  // namespace envmgr::host::timeline
