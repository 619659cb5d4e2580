// The services of one tenant as a graph of "depends on" edges. Pure; the registry uses it to
// refuse cycles, the scheduler to order starts and stops.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace envmgr::host::model {

// service -> the services it depends on (names not in the map are ignored here; the registry
// reports them as unknown).
using DependencyMap = std::map<std::string, std::vector<std::string>>;

// Every elementary cycle found by a depth-first walk, each as a closed path starting at its
// smallest name: {"alpha", "beta", "alpha"}. Each cycle once, in name order.
std::vector<std::vector<std::string>> find_cycles(const DependencyMap& dependencies);

// "alpha -> beta -> alpha"
std::string cycle_text(const std::vector<std::string>& cycle);

// The selection and everything it depends on, transitively (what a start must bring up).
// Names not in the map are left out of the result and listed in unknown.
std::set<std::string> with_dependencies(const DependencyMap& dependencies,
                                        const std::vector<std::string>& selection,
                                        std::vector<std::string>& unknown);

// The selection and everything that depends on it, transitively (what a stop must take down).
std::set<std::string> with_dependents(const DependencyMap& dependencies,
                                      const std::set<std::string>& selection);

// Within `services`: for each, the number of services on the longest chain that waits on it,
// itself included (1 for a service nothing waits on). A start launches the longest first: they
// are on the critical path, the rest has slack. The graph must be acyclic.
std::map<std::string, int> remaining_path_lengths(const DependencyMap& dependencies,
                                                  const std::set<std::string>& services);

}  // namespace envmgr::host::model
