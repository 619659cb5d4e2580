#include "host/scheduler/dependency_graph.h"

#include <gtest/gtest.h>

namespace envmgr::host::scheduler {
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
}  // namespace envmgr::host::scheduler
