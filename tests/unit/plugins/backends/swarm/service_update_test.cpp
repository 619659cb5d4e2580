#include "plugins/backends/swarm/service_mapping.h"

#include <envmgr/sdk/status.h>

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::swarm {
namespace {

sdk::ContainerSpec stateless_spec() {
    sdk::ContainerSpec spec;
    spec.name = "router";
    spec.image = "official-infermesh:latest";
    spec.labels = {{"env-manager.service", "router"}};
    spec.ports = {{8080, 0, "", "tcp"}};  // reached over the overlay only
    spec.mounts = {{"tmpfs", "", "/scratch", false, 0}, {"volume", "models", "/models", true, 0}};
    spec.replicas = 2;
    return spec;
}

TEST(SwarmServiceUpdate, StartsTheNewTaskFirstOnlyWhereTwoCopiesAreHarmless) {
    auto spec = stateless_spec();
    auto config = update_config_body(spec);
    EXPECT_EQ(config["Order"], "start-first");
    EXPECT_EQ(config["Parallelism"], 1);
    EXPECT_EQ(config["FailureAction"], "pause");

    spec.ports[0].host_port = 18080;  // both copies would bind it on one node
    EXPECT_EQ(update_config_body(spec)["Order"], "stop-first");
    spec = stateless_spec();
    spec.mounts.push_back({"volume", "data", "/data", false, 0});  // both would write it
    EXPECT_EQ(update_config_body(spec)["Order"], "stop-first");
    spec = stateless_spec();
    spec.mounts.push_back({"bind", "/srv/x", "/x", false, 0});
    EXPECT_EQ(update_config_body(spec)["Order"], "stop-first");
    spec = stateless_spec();
    spec.gpu.count = 1;  // a node's GPU is held by the old task until it stops
    EXPECT_EQ(update_config_body(spec)["Order"], "stop-first");
    spec = stateless_spec();
    spec.resources.memory_reservation_bytes = 1 << 30;
    EXPECT_EQ(update_config_body(spec)["Order"], "stop-first");
}

TEST(SwarmServiceUpdate, TheNewSpecKeepsTheRunningStateAndReplacesEveryTask) {
    auto current = service_create_body(stateless_spec(), {});
    current["TaskTemplate"]["ForceUpdate"] = 3;
    auto changed = stateless_spec();
    changed.image = "official-infermesh:v2";
    changed.replicas = 3;

    const auto running = service_update_spec(current, changed, {}, true);
    EXPECT_EQ(running["TaskTemplate"]["ContainerSpec"]["Image"], "official-infermesh:v2");
    EXPECT_EQ(running["Mode"]["Replicated"]["Replicas"], 3);
    EXPECT_EQ(running["TaskTemplate"]["ForceUpdate"], 4);  // new tasks even for a label alone
    EXPECT_EQ(running["Labels"]["env-manager.replicas"], "3");
    EXPECT_EQ(running["UpdateConfig"]["Order"], "start-first");

    EXPECT_EQ(service_update_spec(current, changed, {}, false)["Mode"]["Replicated"]["Replicas"], 0);
}

TEST(SwarmServiceUpdate, ARenameIsRefusedNamingTheField) {
    const auto current = service_create_body(stateless_spec(), {});
    auto renamed = stateless_spec();
    renamed.name = "router-2";
    try {
        service_update_spec(current, renamed, {}, true);
        FAIL() << "a rename was accepted";
    } catch (const sdk::Error& error) {
        EXPECT_EQ(error.code(), ENVMGR_STATUS_INVALID);
        EXPECT_NE(std::string(error.what()).find("spec.name"), std::string::npos) << error.what();
    }
}

}  // namespace
}  // namespace envmgr::plugins::backends::swarm
