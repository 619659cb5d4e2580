// The status-snapshot documents last answered, one per tenant ("*": all), each with the
// versions of what it was built from: the engine's instances and check messages, the resource
// figures and the second of its timestamp. A status.snapshot whose sources read the same
// versions gets the same document without a trip to the engine's strand; one whose sources
// moved is built anew. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace envmgr::host::manager {

struct StatusSources {
    std::uint64_t engine = 0;  // LifecycleEngine::status_version()
    std::uint64_t stats = 0;   // StatsCache::version()
    std::int64_t second = 0;   // unix seconds: the snapshot's timestamp
    bool operator==(const StatusSources&) const = default;
};

class StatusDocuments {
public:
    using Document = std::shared_ptr<const std::string>;

    // The tenant's document if it was built from exactly these versions; null otherwise.
    [[nodiscard]] Document find(const std::string& tenant, const StatusSources& now) const;
    // Keeps a document built from sources read before it was built: its content is at least as
    // new as they say, so it is never served for a later change.
    void keep(const std::string& tenant, const StatusSources& built_from, Document document);

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::pair<StatusSources, Document>, std::less<>> documents_;
};

}  // namespace envmgr::host::manager
