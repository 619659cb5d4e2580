#include "host/manager/status_fragments.h"

#include <gtest/gtest.h>

namespace envmgr::host::manager {
namespace {

std::shared_ptr<const sdk::ServiceStatus> status(const std::string& name, const std::string& state,
                                                 const std::string& container = "") {
    sdk::ServiceStatus made;
    made.name = name;
    made.tenant = "blue";
    made.state = state;
    made.container_id = container;
    made.ports = {8080};
    made.health_checks = {{"tcp", "connected to 127.0.0.1:8080"}};
    return std::make_shared<const sdk::ServiceStatus>(made);
}

// What the document must equal: the snapshot serialized whole.
std::string whole(const scheduler::SharedStatuses& statuses, const StatusFragments::Usage& usage) {
    sdk::StatusSnapshot snapshot;
    snapshot.timestamp = statuses.timestamp;
    for (const auto& each : statuses.services) {
        snapshot.services.push_back(*each);
        if (const auto found = usage.find(each->container_id); found != usage.end()) {
            snapshot.services.back().resource_usage = found->second;
        }
    }
    return nlohmann::json(snapshot).dump();
}

TEST(StatusFragmentsTest, TheDocumentIsTheWholeSnapshotSerializedAfterEveryKindOfChange) {
    StatusFragments fragments;
    scheduler::SharedStatuses statuses{1700000000,
                                       {status("api", "healthy", "c1"), status("db", "starting")}};
    StatusFragments::Usage usage{{"c1", {12.5, 1 << 20, 10, 20}}};
    EXPECT_EQ(fragments.document("blue", statuses, usage), whole(statuses, usage));
    EXPECT_EQ(fragments.document("blue", statuses, usage), whole(statuses, usage));  // all kept
    statuses.services[1] = status("db", "healthy", "c2");  // a changed status is a new object
    EXPECT_EQ(fragments.document("blue", statuses, usage), whole(statuses, usage));
    usage["c1"].cpu_percent = 50;  // the figures moved, the status did not
    usage["c2"] = {1, 2, 3, 4};
    EXPECT_EQ(fragments.document("blue", statuses, usage), whole(statuses, usage));
    usage.clear();  // the containers stopped being polled
    EXPECT_EQ(fragments.document("blue", statuses, usage), whole(statuses, usage));
    statuses.services.erase(statuses.services.begin());  // a service gone
    statuses.timestamp = 1700000001;
    EXPECT_EQ(fragments.document("blue", statuses, usage), whole(statuses, usage));
    statuses.services.clear();
    EXPECT_EQ(fragments.document("blue", statuses, usage), R"({"services":[],"timestamp":1700000001})");
    EXPECT_EQ(fragments.document("blue", statuses, usage), whole(statuses, usage));
}

TEST(StatusFragmentsTest, ScopesAreKeptApart) {
    StatusFragments fragments;
    const scheduler::SharedStatuses all{5, {status("api", "healthy"), status("db", "healthy")}};
    const scheduler::SharedStatuses one{5, {status("api", "stopped")}};
    EXPECT_EQ(fragments.document("*", all, {}), whole(all, {}));
    EXPECT_EQ(fragments.document("blue", one, {}), whole(one, {}));
    EXPECT_EQ(fragments.document("*", all, {}), whole(all, {}));
}

}  // namespace
}  // namespace envmgr::host::manager
