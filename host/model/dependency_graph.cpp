#include "host/model/dependency_graph.h"

#include <algorithm>
#include <set>

namespace envmgr::host::model {
namespace {

enum class Mark { unvisited, on_path, done };

class CycleFinder {
public:
    explicit CycleFinder(const DependencyMap& dependencies) : dependencies_(dependencies) {}

    std::vector<std::vector<std::string>> run() {
        for (const auto& [service, _] : dependencies_) {
            if (marks_[service] == Mark::unvisited) visit(service);
        }
        return {found_.begin(), found_.end()};
    }

private:
    void visit(const std::string& service) {
        marks_[service] = Mark::on_path;
        path_.push_back(service);
        for (const auto& next : dependencies_.at(service)) {
            if (!dependencies_.contains(next)) continue;
            if (marks_[next] == Mark::on_path) {
                record(next);
            } else if (marks_[next] == Mark::unvisited) {
                visit(next);
            }
        }
        path_.pop_back();
        marks_[service] = Mark::done;
    }

    // The path from next's place on the stack back to next, rotated to start at its smallest name.
    void record(const std::string& next) {
        const auto start = std::find(path_.begin(), path_.end(), next);
        std::vector<std::string> cycle(start, path_.end());
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        cycle.push_back(cycle.front());
        found_.insert(std::move(cycle));
    }

    const DependencyMap& dependencies_;
    std::map<std::string, Mark> marks_;
    std::vector<std::string> path_;
    std::set<std::vector<std::string>> found_;
};

}  // namespace

std::vector<std::vector<std::string>> find_cycles(const DependencyMap& dependencies) {
    return CycleFinder(dependencies).run();
}

std::string cycle_text(const std::vector<std::string>& cycle) {
    std::string text;
    for (const auto& service : cycle) text += (text.empty() ? "" : " -> ") + service;
    return text;
}

std::set<std::string> with_dependencies(const DependencyMap& dependencies,
                                        const std::vector<std::string>& selection,
                                        std::vector<std::string>& unknown) {
    std::set<std::string> result;
    std::vector<std::string> pending;
    for (const auto& name : selection) {
        if (!dependencies.contains(name)) {
            unknown.push_back(name);
        } else {
            pending.push_back(name);
        }
    }
    while (!pending.empty()) {
        const std::string name = pending.back();
        pending.pop_back();
        if (!result.insert(name).second) continue;
        for (const auto& next : dependencies.at(name)) {
            if (dependencies.contains(next)) pending.push_back(next);
        }
    }
    return result;
}

std::set<std::string> with_dependents(const DependencyMap& dependencies,
                                      const std::set<std::string>& selection) {
    std::set<std::string> result(selection.begin(), selection.end());
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& [service, needs] : dependencies) {
            if (result.contains(service)) continue;
            if (std::any_of(needs.begin(), needs.end(),
                            [&](const auto& need) { return result.contains(need); })) {
                result.insert(service);
                grew = true;
            }
        }
    }
    return result;
}

std::map<std::string, int> remaining_path_lengths(const DependencyMap& dependencies,
                                                  const std::set<std::string>& services) {
    std::map<std::string, std::vector<std::string>> waiting_on;  // service -> who waits on it
    for (const auto& service : services) {
        for (const auto& need : dependencies.at(service)) {
            if (services.contains(need)) waiting_on[need].push_back(service);
        }
    }
    std::map<std::string, int> length;
    // Memoised depth-first: acyclic, so each service is computed once.
    const auto compute = [&](const auto& self, const std::string& service) -> int {
        if (const auto it = length.find(service); it != length.end()) return it->second;
        int longest = 0;
        for (const auto& waiter : waiting_on[service]) longest = std::max(longest, self(self, waiter));
        return length[service] = longest + 1;
    };
    for (const auto& service : services) compute(compute, service);
    return length;
}

}  // namespace envmgr::host::model
