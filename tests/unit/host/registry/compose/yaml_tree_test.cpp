#include "host/registry/compose/yaml_tree.h"

#include <gtest/gtest.h>

namespace envmgr::host::registry::compose {
namespace {

YamlTree tree_of(const std::string& text) {
    auto read = read_yaml(text, "f.yml");
    if (auto* problem = std::get_if<ComposeProblem>(&read)) {
        ADD_FAILURE() << problem->where.text() << ": " << problem->message;
    }
    return std::get<YamlTree>(read);
}

std::string problem_of(const std::string& text) {
    auto read = read_yaml(text, "f.yml");
    if (!std::holds_alternative<ComposeProblem>(read)) return "no problem";
    const auto& problem = std::get<ComposeProblem>(read);
    return problem.where.text() + ": " + problem.message;
}

TEST(YamlTree, PlainScalarsTakeTheCoreSchemasTypesAndQuotedOnesStayStrings) {
    const auto tree =
        tree_of("a: 5\nb: '5'\nc: true\nd: \"true\"\ne: ~\nf: 1.5\ng: no\nh: 0x10\ni: !!str 7\n");
    EXPECT_EQ(tree.value["a"], 5);
    EXPECT_EQ(tree.value["b"], "5");
    EXPECT_EQ(tree.value["c"], true);
    EXPECT_EQ(tree.value["d"], "true");
    EXPECT_TRUE(tree.value["e"].is_null());
    EXPECT_EQ(tree.value["f"], 1.5);
    EXPECT_EQ(tree.value["g"], "no");  // YAML 1.2: only true and false are booleans
    EXPECT_EQ(tree.value["h"], 16);
    EXPECT_EQ(tree.value["i"], "7");
}

TEST(YamlTree, MergeKeysAddWhatTheMappingDoesNotWriteItself) {
    const auto tree = tree_of(
        "base: &base {a: 1, b: 1}\nother: &other {b: 2, c: 2}\n"
        "one:\n  <<: *base\n  a: 9\n"
        "two:\n  a: 9\n  <<: [*other, *base]\n");
    EXPECT_EQ(tree.value["one"], (nlohmann::json{{"a", 9}, {"b", 1}}));
    // Written keys win wherever the merge key stands; of the merged mappings, the first wins.
    EXPECT_EQ(tree.value["two"], (nlohmann::json{{"a", 9}, {"b", 2}, {"c", 2}}));
    EXPECT_EQ(tree.at("/one/b").text(), "f.yml:1:23");  // where the anchored value was written
    EXPECT_EQ(tree.at("/one/a").text(), "f.yml:5:6");
}

TEST(YamlTree, EveryValueKnowsItsPlaceAndEveryKeyItsOwn) {
    const auto tree = tree_of("services:\n  web:\n    ports:\n      - \"80:80\"\n");
    EXPECT_EQ(tree.at("/services/web/ports/0").text(), "f.yml:4:9");
    EXPECT_EQ(tree.key_places.at("/services/web").text(), "f.yml:2:3");
    EXPECT_EQ(tree.at("/services/web/ports/0/nothing").text(), "f.yml:4:9");  // the nearest ancestor
}

TEST(YamlTree, WhatCannotBeReadIsNamedWithItsPlace) {
    EXPECT_EQ(problem_of("a: 1\na: 2\n"), "f.yml:2:1: duplicate key 'a'");
    EXPECT_EQ(problem_of("a: [1, 2\n"), "f.yml:2:1: not valid YAML: end of sequence flow not found");
    EXPECT_EQ(problem_of("a:\n  <<: 5\n"),
              "f.yml:2:7: a merge key ('<<') takes a mapping or a list of mappings");
    EXPECT_EQ(problem_of("a: 1\nb: \"\xc3\x28\"\n"), "f.yml:2:5: not UTF-8 text");
    EXPECT_EQ(problem_of("a: \"\xed\xa0\x80\"\n"), "f.yml:1:5: not UTF-8 text");  // a surrogate
    EXPECT_EQ(problem_of("a: \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""), "no problem");
    EXPECT_EQ(problem_of("? [a]\n: 1\n"),
              "f.yml:1:3: a mapping key must be a plain value, not a list or a mapping");
}

TEST(YamlTree, AliasesThatExpandWithoutBoundAreRefused) {
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level < 8; ++level) {
        std::string previous("*a");
        previous.append(std::to_string(level - 1));
        const std::string name = std::to_string(level);
        text.append("a").append(name).append(": &a").append(name).append(" [");
        for (int copy = 0; copy < 10; ++copy) text.append(previous).append(copy < 9 ? ", " : "]\n");
    }
    EXPECT_NE(problem_of(text).find("expands to more than 100000 values"), std::string::npos);
}

TEST(YamlTree, PointersEscapeSlashAndTilde) {
    EXPECT_EQ(pointer_append("/a", "b/c~d"), "/a/b~1c~0d");
}

}  // namespace
}  // namespace envmgr::host::registry::compose
