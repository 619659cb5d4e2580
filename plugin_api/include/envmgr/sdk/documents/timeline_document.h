// The start timeline (manager operations timeline.get and timeline.plot): for each recent start
// or restart of a tenant, when each service reached each phase, and the critical chain: the
// waits that decided when a service became ready. Times are milliseconds from the run's start;
// -1 means the phase did not happen in that run.
#pragma once

#include <envmgr/sdk/documents/read_document.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace envmgr::sdk {

// One service in one run. Phases, in order: images (checked, or pulled: `pulled`), waiting for
// its dependencies (images_end .. launched), create, start, probe (started .. ready).
struct TimelineService {
    std::string service;
    std::vector<std::string> depends_on;  // those in the same run
    // ready | completed (a one-shot job that exited 0) | failed | already_ready | not_started
    std::string outcome;
    std::string message;
    bool pulled = false;
    double images_begin = -1;
    double images_end = -1;
    double launched = -1;  // its dependencies met: the start could go on with it
    double create_begin = -1;
    double start_begin = -1;
    double probe_begin = -1;  // the container runs; the first probe goes out
    double ready = -1;
    double failed = -1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TimelineService, service, depends_on, outcome, message,
                                                pulled, images_begin, images_end, launched, create_begin,
                                                start_begin, probe_begin, ready, failed)

// One link of a critical chain: `service` became ready (or completed) at `at`, `took` after the
// moment it could go on: `waited_for` became ready then (`wait` = "ready"), or freed the start
// slot it waited for (`wait` = "start_slot": all max_concurrent_starts slots were taken).
struct ChainLink {
    std::string service;
    double at = 0;
    double took = 0;
    std::string waited_for;  // "" : nothing in the run held it up (images phase only)
    std::string wait;        // ready | start_slot | "" (with waited_for "")
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ChainLink, service, at, took, waited_for, wait)

struct TimelineRun {
    std::string tenant;
    std::string kind;  // start | restart
    std::int64_t started_unix_ms = 0;
    double total = -1;  // until the last service settled; -1 while the run goes on
    std::vector<TimelineService> services;
    std::vector<ChainLink> critical_chain;  // first link first: the one nothing in the run held up
    std::string chain_of;                   // the service the chain leads to
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TimelineRun, tenant, kind, started_unix_ms, total, services,
                                                critical_chain, chain_of)

// The result of timeline.get: the runs kept for the tenant, the newest first.
struct TimelineDocument {
    std::vector<TimelineRun> runs;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TimelineDocument, runs)

}  // namespace envmgr::sdk
