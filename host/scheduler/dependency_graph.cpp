#include "host/scheduler/dependency_graph.h"

#include <algorithm>
#include <set>

namespace envmgr::host::scheduler {
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

}  // namespace envmgr::host::scheduler
