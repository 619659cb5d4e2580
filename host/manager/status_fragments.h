// The status-snapshot document put together from one JSON text per service, each kept while its
// status (the same shared object: a changed status is a new one) and its resource figures stay
// the same. After one service changed, a document of 10,000 services serializes one and copies
// the rest. The text is byte for byte what nlohmann::json(snapshot).dump() gives. Thread-safe.
#pragma once

#include "host/scheduler/lifecycle_engine.h"

#include <envmgr/sdk/documents/status_snapshot.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace envmgr::host::manager {

class StatusFragments {
public:
    using Usage = std::map<std::string, sdk::ResourceUsage>;  // container id -> its figures

    // The document of these statuses (scope: the tenant asked for, "*" for all), with usage
    // added to the services whose container has figures.
    std::string document(const std::string& scope, const scheduler::SharedStatuses& statuses,
                         const Usage& usage);

private:
    struct Fragment {
        std::shared_ptr<const sdk::ServiceStatus> status;
        sdk::ResourceUsage usage;
        std::string text;
    };
    struct Scope {
        std::vector<Fragment> fragments;  // in the order of the last document
        std::size_t size = 0;             // of the last document's text
    };
    // The fragment kept for status: at its place in the last document when it is there (the
    // engine lists services in the same order every time), else found by name; null if none.
    static Fragment* kept_for(Scope& scope, std::size_t at, const sdk::ServiceStatus& status,
                              std::map<std::pair<std::string, std::string>, std::size_t>& by_name);

    std::mutex mutex_;
    std::map<std::string, Scope, std::less<>> scopes_;
};

}  // namespace envmgr::host::manager
