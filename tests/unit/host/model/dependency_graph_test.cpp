#include "host/model/dependency_graph.h"

#include <gtest/gtest.h>

namespace envmgr::host::model {
namespace {

TEST(DependencyGraph, AnAcyclicGraphHasNoCycle) {
    const DependencyMap graph{{"router", {"node-a", "node-b"}},
                              {"node-a", {"redis"}},
                              {"node-b", {"redis"}},
                              {"redis", {}},
                              {"redb", {"missing"}}};
    EXPECT_TRUE(find_cycles(graph).empty());
}

TEST(DependencyGraph, EachCycleIsReportedOnceFromItsSmallestName) {
    const DependencyMap graph{{"beta", {"alpha"}},    {"alpha", {"beta"}},    {"gamma", {"delta"}},
                              {"delta", {"epsilon"}}, {"epsilon", {"gamma"}}, {"self", {"self"}},
                              {"tail", {"alpha"}}};
    const auto cycles = find_cycles(graph);
    ASSERT_EQ(cycles.size(), 3U);
    EXPECT_EQ(cycle_text(cycles[0]), "alpha -> beta -> alpha");
    EXPECT_EQ(cycle_text(cycles[1]), "delta -> epsilon -> gamma -> delta");
    EXPECT_EQ(cycle_text(cycles[2]), "self -> self");
}

}  // namespace
}  // namespace envmgr::host::model

namespace envmgr::host::model {
namespace {

// The default stack: redis <- node-a, node-b <- router; redb and ollama alone.
const DependencyMap kStack{{"redis", {}},
                           {"redb", {}},
                           {"ollama", {}},
                           {"infermesh-node-a", {"redis"}},
                           {"infermesh-node-b", {"redis"}},
                           {"infermesh-router", {"infermesh-node-a", "infermesh-node-b"}}};

TEST(DependencyGraph, ASelectionPullsInWhatItDependsOnAndNamesTheUnknown) {
    std::vector<std::string> unknown;
    const auto needed = with_dependencies(kStack, {"infermesh-router", "nope"}, unknown);
    EXPECT_EQ(needed,
              (std::set<std::string>{"infermesh-node-a", "infermesh-node-b", "infermesh-router", "redis"}));
    EXPECT_EQ(unknown, std::vector<std::string>{"nope"});
}

TEST(DependencyGraph, StoppingAServiceTakesItsDependentsAlong) {
    EXPECT_EQ(with_dependents(kStack, {"redis"}),
              (std::set<std::string>{"infermesh-node-a", "infermesh-node-b", "infermesh-router", "redis"}));
    EXPECT_EQ(with_dependents(kStack, {"redb"}), std::set<std::string>{"redb"});
}

TEST(DependencyGraph, TheCriticalPathHasTheLongestRemainingPath) {
    std::set<std::string> all;
    for (const auto& [service, needs] : kStack) all.insert(service);
    const auto length = remaining_path_lengths(kStack, all);
    EXPECT_EQ(length.at("redis"), 3);
    EXPECT_EQ(length.at("infermesh-node-a"), 2);
    EXPECT_EQ(length.at("infermesh-router"), 1);
    EXPECT_EQ(length.at("redb"), 1);
    // Only what is being started counts.
    const auto partial = remaining_path_lengths(kStack, {"redis", "infermesh-node-a"});
    EXPECT_EQ(partial.at("redis"), 2);
}

}  // namespace
}  // namespace envmgr::host::model
