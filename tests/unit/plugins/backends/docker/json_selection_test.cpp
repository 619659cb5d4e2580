#include "plugins/backends/docker/json_selection.h"
#include "plugins/backends/docker/container_mapping.h"
#include "plugins/backends/docker/stats_mapping.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

using envmgr::plugins::backends::docker::JsonSelection;
using envmgr::plugins::backends::docker::parse_selected;
using nlohmann::json;

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(ENVMGR_ENGINE_FIXTURE_DIR) + "/" + name);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().empty()) throw std::runtime_error("missing fixture " + name);
    return text.str();
}

TEST(JsonSelection, KeepsTheSelectedMembersAndNothingElse) {
    const JsonSelection selection{{"a", {}}, {"b", {{"c", {}}}}, {"list", {{"x", {}}}}};
    const auto doc = parse_selected(
        R"({"a":{"deep":[1,2,{"k":null}]},"skipped":{"big":[1,2,3],"s":"t"},"b":{"c":"kept","d":"dropped"},
            "list":[{"x":1,"y":2},{"y":3},4,"five"],"n":1.5})",
        selection);
    EXPECT_EQ(doc, json::parse(R"({"a":{"deep":[1,2,{"k":null}]},"b":{"c":"kept"},
                                    "list":[{"x":1},{},4,"five"]})"));
}

TEST(JsonSelection, AnEmptySelectionKeepsEverything) {
    const std::string text = R"({"a":[true,false,null,-1,18446744073709551615,2.5e3,"\u00e9"],"b":{}})";
    EXPECT_EQ(parse_selected(text, {}), json::parse(text));
    EXPECT_EQ(parse_selected("42", {}), json(42));
    EXPECT_EQ(parse_selected(R"(["x",{"y":1}])", {{"y", {}}}), json::parse(R"(["x",{"y":1}])"));
}

TEST(JsonSelection, SelectedMembersOfAnotherShapeAreKeptAsTheyAre) {
    const JsonSelection selection{{"State", {{"Status", {}}}}};
    EXPECT_EQ(parse_selected(R"({"State":null})", selection), json::parse(R"({"State":null})"));
    EXPECT_EQ(parse_selected(R"({"State":"up"})", selection), json::parse(R"({"State":"up"})"));
}

TEST(JsonSelection, OfTwoEqualKeysTheLastWinsAsInParse) {
    const std::string text = R"({"a":1,"a":{"b":2},"c":3,"c":4})";
    EXPECT_EQ(parse_selected(text, {{"a", {}}, {"c", {}}}), json::parse(text));
}

TEST(JsonSelection, MalformedTextThrowsTheParseErrorThatParseThrows) {
    for (const std::string text : {R"({"a":)", R"({"skipped":[1,2,}})", "", R"({"a":1} trailing)"}) {
        std::string expected;
        try {
            const auto parsed = json::parse(text);
        } catch (const json::parse_error& e) {
            expected = e.what();
        }
        ASSERT_FALSE(expected.empty()) << text;
        try {
            const auto selected = parse_selected(text, {{"a", {}}});
            ADD_FAILURE() << "no error for " << text;
        } catch (const json::parse_error& e) {
            EXPECT_EQ(e.what(), expected);
        }
    }
}

TEST(JsonSelection, ANumberTooLargeIsTheOutOfRangeErrorThatParseThrows) {
    const std::string text = R"({"skipped":1e999,"a":1})";
    std::string expected;
    try {
        const auto parsed = json::parse(text);
    } catch (const json::out_of_range& e) {
        expected = e.what();
    }
    ASSERT_FALSE(expected.empty());
    try {
        const auto selected = parse_selected(text, {{"a", {}}});
        ADD_FAILURE() << "no error";
    } catch (const json::out_of_range& e) {
        EXPECT_EQ(e.what(), expected);
    }
}

// The selections must name every member the mappings read: on real engine answers, the
// mapping of the selected parse equals the mapping of the full parse.
TEST(JsonSelection, TheMappingsSeeWhatTheyNeedOfRealEngineAnswers) {
    using namespace envmgr::plugins::backends::docker;
    const auto inspect = fixture("container_inspect.json");
    const auto mapped = container_from_inspect(json::parse(inspect));
    EXPECT_EQ(container_from_inspect(parse_selected(inspect, inspect_selection())), mapped);
    EXPECT_EQ(mapped["health"], "healthy");
    EXPECT_EQ(mapped["labels"]["envmgr.service"], "redb");
    EXPECT_EQ(mapped["ports"][0]["host_port"], 18080);
    EXPECT_FALSE(mapped["networks"].empty());
    EXPECT_GT(mapped["started_at"].get<std::int64_t>(), 0);

    const auto list = fixture("container_list.json");
    const auto selected_list = parse_selected(list, list_entry_selection());
    const auto full_list = json::parse(list);
    ASSERT_EQ(selected_list.size(), full_list.size());
    ASSERT_FALSE(full_list.empty());
    for (std::size_t i = 0; i < full_list.size(); ++i) {
        EXPECT_EQ(container_from_list_entry(selected_list[i]), container_from_list_entry(full_list[i]));
    }

    const auto stats = fixture("container_stats.json");
    const auto usage = usage_from_stats(json::parse(stats));
    const auto selected_usage = usage_from_stats(parse_selected(stats, stats_selection()));
    EXPECT_EQ(json(selected_usage), json(usage));
    EXPECT_GT(usage.memory_bytes, 0);
}

}  // namespace
