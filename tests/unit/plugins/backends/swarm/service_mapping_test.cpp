#include "plugins/backends/swarm/service_mapping.h"
#include "tests/unit/plugins/backends/swarm/swarm_fixtures.h"

#include <envmgr/sdk/status.h>

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::swarm {
namespace {

using testing::service_named;
using testing::swarm_fixture;

sdk::ContainerSpec node_spec() {
    sdk::ContainerSpec spec;
    spec.name = "infermesh-node-a";
    spec.image = "official-infermesh:latest";
    spec.entrypoint = {"/bin/sh", "-c"};
    spec.command = {"serve"};
    spec.env = {{"ROLE", "node"}};
    spec.labels = {{"env-manager.service", "infermesh-node-a"}, {"env-manager.tenant", "default"}};
    spec.ports = {{9000, 19001, "127.0.0.1", "tcp"}, {9100, 0, "", "tcp"}};
    spec.mounts = {{"volume", "cache_a", "/cache", false, 0}, {"tmpfs", "", "/scratch", false, 1 << 20}};
    spec.network = "envmgr-default";
    spec.network_aliases = {"infermesh-node-a"};
    spec.resources.cpus = 1.5;
    spec.resources.memory_bytes = 512 << 20;
    spec.stop_timeout_seconds = 7;
    spec.process.extra_hosts = {"gateway:10.0.0.1"};
    return spec;
}

TEST(SwarmServiceSpec, IsCreatedAtZeroReplicasWithHostPortsAndNoRestartsOfItsOwn) {
    ServiceSettings settings;
    settings.placement["infermesh-node-a"] = {"node.hostname == envmgr-swarm-1"};
    const auto body = service_create_body(node_spec(), settings);
    EXPECT_EQ(body["Name"], "infermesh-node-a");
    EXPECT_EQ(body["Labels"]["env-manager.tenant"], "default");
    EXPECT_EQ(body["Mode"]["Replicated"]["Replicas"], 0);
    const auto& task = body["TaskTemplate"];
    EXPECT_EQ(task["RestartPolicy"]["Condition"], "none");
    EXPECT_EQ(task["Placement"]["Constraints"], nlohmann::json({"node.hostname == envmgr-swarm-1"}));
    EXPECT_EQ(task["Networks"],
              nlohmann::json::parse(R"([{"Target":"envmgr-default","Aliases":["infermesh-node-a"]}])"));
    const auto& container = task["ContainerSpec"];
    EXPECT_EQ(container["Command"], nlohmann::json({"/bin/sh", "-c"}));  // Swarm's Command is the entrypoint
    EXPECT_EQ(container["Args"], nlohmann::json({"serve"}));
    EXPECT_EQ(container["Env"], nlohmann::json({"ROLE=node"}));
    EXPECT_EQ(container["Hosts"], nlohmann::json({"10.0.0.1 gateway"}));
    EXPECT_EQ(container["StopGracePeriod"], 7'000'000'000);
    EXPECT_EQ(
        container["Mounts"][1],
        nlohmann::json::parse(
            R"({"Type":"tmpfs","Target":"/scratch","ReadOnly":false,"TmpfsOptions":{"SizeBytes":1048576}})"));
    EXPECT_EQ(task["Resources"]["Limits"]["NanoCPUs"], 1'500'000'000);
    // Only published ports, in host mode: no IPVS is needed for them.
    EXPECT_EQ(
        body["EndpointSpec"],
        nlohmann::json::parse(
            R"({"Mode":"dnsrr","Ports":[{"Protocol":"tcp","TargetPort":9000,"PublishedPort":19001,"PublishMode":"host"}]})"));
}

TEST(SwarmServiceSpec, PlacementJoinsTheDefinitionsAndTheSettingsAndReplicasWaitInALabel) {
    auto spec = node_spec();
    spec.replicas = 3;
    spec.placement = {"node.labels.gpu == true"};
    spec.placement_preferences = {"node.labels.zone"};
    ServiceSettings settings;
    settings.placement["infermesh-node-a"] = {"node.hostname != envmgr-swarm-1"};
    const auto body = service_create_body(spec, settings);
    EXPECT_EQ(
        body["TaskTemplate"]["Placement"],
        nlohmann::json::parse(R"({"Constraints":["node.labels.gpu == true","node.hostname != envmgr-swarm-1"],
                                        "Preferences":[{"Spread":{"SpreadDescriptor":"node.labels.zone"}}]})"));
    EXPECT_EQ(body["Mode"]["Replicated"]["Replicas"], 0);  // a start scales to the label's count
    EXPECT_EQ(body["Labels"][kReplicasLabel], "3");
    EXPECT_EQ(replicas_wanted({{"Spec", {{"Labels", body["Labels"]}}}}), 3);
    EXPECT_EQ(replicas_wanted({{"Spec", {{"Labels", {{kReplicasLabel, "x"}}}}}}), 1);
    EXPECT_EQ(replicas_wanted(nlohmann::json::object()), 1);
}

TEST(SwarmServiceSpec, RefusesWhatASwarmCannotHonourNamingTheField) {
    auto spec = node_spec();
    spec.process.security_opt = {"no-new-privileges:true"};
    try {
        service_create_body(spec, {});
        FAIL() << "accepted";
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), ENVMGR_STATUS_INVALID);
        EXPECT_NE(std::string(e.what()).find("spec.process.security_opt"), std::string::npos);
    }
    spec = node_spec();
    spec.gpu.count = -1;
    EXPECT_THROW(service_create_body(spec, {}), sdk::Error);
    spec.gpu.count = 2;
    EXPECT_EQ(service_create_body(spec, {})["TaskTemplate"]["Resources"]["Reservations"]["GenericResources"]
                                           [0]["DiscreteResourceSpec"]["Value"],
              2);
}

TEST(SwarmServiceDocument, ARunningTaskIsTheContainerAtItsNodesAddress) {
    const auto nodes = nodes_from_list(swarm_fixture("nodes"));
    const auto tasks = swarm_fixture("tasks");
    const auto services = swarm_fixture("services");
    const auto& service = service_named(services, "infermesh-node-a");
    const auto document = container_from_service(service, tasks_of(tasks, service["ID"]), nodes);
    EXPECT_EQ(document["state"], "running");
    EXPECT_EQ(document["running"], true);
    EXPECT_EQ(document["node"], "envmgr-swarm-2");
    EXPECT_EQ(document["ip_address"], "");  // probes go to the published port at the node
    EXPECT_EQ(document["ports"][0]["host_ip"], "192.168.213.12");
    EXPECT_EQ(document["ports"][0]["host_port"], 19001);
    EXPECT_EQ(document["ports"][0]["container_port"], 9000);
    EXPECT_GT(document["started_at_ns"].get<std::int64_t>(), 0);
    EXPECT_EQ(document["restart_count"], 0);
    EXPECT_EQ(document["labels"]["env-manager.service"], "infermesh-node-a");
    EXPECT_EQ(document["networks"].begin().value()["ip_address"], "10.0.1.17");
}

TEST(SwarmServiceDocument, ATaskLostWithItsNodeIsNotTheRunningOne) {
    const auto nodes = nodes_from_list(swarm_fixture("nodes"));
    EXPECT_FALSE(nodes.at("sirgncggvz3wg87byakp17e1y").ready);
    const auto tasks = swarm_fixture("tasks");
    const auto services = swarm_fixture("services");
    const auto& router = service_named(services, "infermesh-router");
    const auto mine = tasks_of(tasks, router["ID"]);
    ASSERT_EQ(mine.size(), 2U);
    const auto document = container_from_service(router, mine, nodes);
    EXPECT_EQ(document["state"], "running");
    EXPECT_EQ(document["node"], "envmgr-swarm-2");  // the new task, not the one on the dead node
    EXPECT_EQ(document["restart_count"], 1);
    // Without the new task, the lost one is an exited container with 255.
    nlohmann::json lost = nlohmann::json::array();
    for (const auto& task : mine) {
        if (task["NodeID"] == "sirgncggvz3wg87byakp17e1y") lost.push_back(task);
    }
    const auto gone = container_from_service(router, lost, nodes);
    EXPECT_EQ(gone["state"], "exited");
    EXPECT_EQ(gone["exit_code"], 255);
    EXPECT_EQ(gone["ports"][0]["host_ip"], "");
}

TEST(SwarmServiceDocument, AServiceWithoutTasksIsCreated) {
    auto service = service_named(swarm_fixture("services"), "redis");
    service["Spec"]["Mode"]["Replicated"]["Replicas"] = 0;
    const auto document = container_from_service(service, nlohmann::json::array(), {});
    EXPECT_EQ(document["state"], "created");
    EXPECT_EQ(document["replicas"], 0);
    EXPECT_EQ(document["started_at"], 0);
}

}  // namespace
}  // namespace envmgr::plugins::backends::swarm
