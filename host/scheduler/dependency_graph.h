// The services of one tenant as a graph of "depends on" edges. Pure; the registry uses it to
// refuse cycles, the scheduler to order starts and stops.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace envmgr::host::scheduler {

// service -> the services it depends on (names not in the map are ignored here; the registry
// reports them as unknown).
using DependencyMap = std::map<std::string, std::vector<std::string>>;

// Every elementary cycle found by a depth-first walk, each as a closed path starting at its
// smallest name: {"alpha", "beta", "alpha"}. Each cycle once, in name order.
std::vector<std::vector<std::string>> find_cycles(const DependencyMap& dependencies);

// "alpha -> beta -> alpha"
std::string cycle_text(const std::vector<std::string>& cycle);

}  // namespace envmgr::host::scheduler
