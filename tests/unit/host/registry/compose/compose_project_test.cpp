#include "host/registry/compose/compose_project.h"

#include <gtest/gtest.h>

namespace envmgr::host::registry::compose {
namespace {

using Json = nlohmann::json;

struct Mapped {
    ComposeProject project;
    std::string problems;

    const Json& service(const std::string& name) const {
        for (const auto& service : project.services) {
            if (service.name == name) return service.definition;
        }
        throw std::out_of_range(name);
    }
};

Mapped map(const std::string& text, std::vector<std::string> profiles = {}) {
    const auto environment = config::map_environment({{"FROM_SHELL", "shell"}});
    const auto model = read_compose({{"/p/c.yml", text}}, environment);
    Mapped mapped{project_of(model, environment, {std::move(profiles), "/home/me"}), ""};
    for (const auto& problem : mapped.project.problems) {
        mapped.problems += (problem.severity == ComposeProblem::Severity::error ? "error " : "warning ") +
                           problem.where.text() + " " + problem.key + ": " + problem.message + "\n";
    }
    return mapped;
}

TEST(ComposeMapping, AHealthcheckBecomesAnExecProbeWithTheSameThresholds) {
    const auto mapped =
        map("services:\n"
            "  a:\n    image: x\n    healthcheck: {test: [CMD, ping], interval: 2s, timeout: 1s, retries: 7, "
            "start_period: 3s}\n"
            "  b:\n    image: x\n    healthcheck: {test: [CMD-SHELL, 'test -f /ok']}\n"
            "  c:\n    image: x\n    healthcheck: {test: 'curl -f localhost'}\n"
            "  d:\n    image: x\n    healthcheck: {test: [NONE]}\n"
            "  e:\n    image: x\n    healthcheck: {disable: true, test: [CMD, x]}\n");
    EXPECT_EQ(mapped.problems, "");
    const auto& a = mapped.service("a")["readiness"];
    EXPECT_EQ(a["type"], "exec");
    EXPECT_EQ(a["command"], Json::array({"ping"}));
    EXPECT_EQ(a["interval_ms"], 2000);
    EXPECT_EQ(a["timeout_ms"], 1000);
    EXPECT_EQ(a["failure_threshold"], 7);
    EXPECT_EQ(a["start_period_ms"], 3000);
    EXPECT_EQ(mapped.service("b")["readiness"]["command"], Json::array({"/bin/sh", "-c", "test -f /ok"}));
    EXPECT_EQ(mapped.service("b")["readiness"]["interval_ms"], 30000);  // Docker's defaults
    EXPECT_EQ(mapped.service("b")["readiness"]["failure_threshold"], 3);
    EXPECT_EQ(mapped.service("c")["readiness"]["command"],
              Json::array({"/bin/sh", "-c", "curl -f localhost"}));
    EXPECT_EQ(mapped.service("d")["readiness"]["type"], "");
    EXPECT_EQ(mapped.service("e")["readiness"]["type"], "");
}

TEST(ComposeMapping, RestartDependenciesAndResources) {
    const auto mapped = map(
        "services:\n"
        "  a:\n    image: x\n    restart: on-failure:4\n"
        "    depends_on: {b: {condition: service_healthy}, c: {condition: service_completed_successfully}}\n"
        "    deploy:\n      resources:\n        limits: {cpus: '1.5', memory: 256m}\n"
        "        reservations: {memory: 64m, devices: [{driver: nvidia, count: 2, capabilities: [gpu]}]}\n"
        "  b:\n    image: x\n    deploy: {restart_policy: {condition: any, max_attempts: 2}}\n"
        "  c:\n    image: x\n");
    const auto& a = mapped.service("a");
    EXPECT_EQ(a["restart_policy"], "on-failure");
    EXPECT_EQ(a["restart_max_retries"], 4);
    EXPECT_EQ(a["depends_on"], (Json::array({{{"service", "b"}, {"condition", "healthy"}},
                                             {{"service", "c"}, {"condition", "completed_successfully"}}})));
    EXPECT_EQ(a["resources"]["cpus"], 1.5);
    EXPECT_EQ(a["resources"]["memory_bytes"], 256 * 1024 * 1024);
    EXPECT_EQ(a["resources"]["memory_reservation_bytes"], 64 * 1024 * 1024);
    EXPECT_EQ(a["gpu"], "required");
    EXPECT_EQ(a["gpu_count"], 2);
    EXPECT_EQ(mapped.service("b")["restart_policy"], "always");
    EXPECT_EQ(mapped.service("b")["restart_max_retries"], 2);
    EXPECT_EQ(mapped.service("c")["restart_policy"], "no");  // Compose's default
    EXPECT_EQ(mapped.service("c")["init"], false);
}

TEST(ComposeMapping, ProcessOptionsLabelsAndNames) {
    const auto mapped = map(
        "services:\n  a:\n    image: x\n    user: '1000:1000'\n    working_dir: /w\n    read_only: true\n"
        "    cap_add: [NET_ADMIN]\n    cap_drop: [ALL]\n    security_opt: [no-new-privileges:true]\n"
        "    extra_hosts: {db: 10.0.0.1}\n    stop_signal: SIGINT\n    stop_grace_period: 1500ms\n"
        "    init: true\n    container_name: my-a\n    labels: {team: infra}\n    entrypoint: [tini, --]\n"
        "    environment: [FROM_SHELL, UNSET_HERE]\n");
    const auto& a = mapped.service("a");
    EXPECT_EQ(a["process"], (Json{{"user", "1000:1000"},
                                  {"working_dir", "/w"},
                                  {"read_only", true},
                                  {"cap_add", {"NET_ADMIN"}},
                                  {"cap_drop", {"ALL"}},
                                  {"security_opt", {"no-new-privileges:true"}},
                                  {"extra_hosts", {"db:10.0.0.1"}},
                                  {"stop_signal", "SIGINT"}}));
    EXPECT_EQ(a["stop_timeout_seconds"], 2);
    EXPECT_EQ(a["init"], true);
    EXPECT_EQ(a["container_name"], "my-a");
    EXPECT_EQ(a["labels"], (Json{{"team", "infra"}}));
    EXPECT_EQ(a["entrypoint"], Json::array({"tini", "--"}));
    EXPECT_EQ(a["env"], (Json{{"FROM_SHELL", "shell"}}));  // a bare name not set passes nothing
}

TEST(ComposeMapping, VolumesNeedTheirTopLevelDeclarationAndKeepGivenNames) {
    const auto mapped =
        map("services:\n  a:\n    image: x\n    volumes: [data:/d, ext:/e, missing:/m, /anon, './rel:/r']\n"
            "volumes:\n  data:\n  ext: {external: true, name: shared-data}\n");
    const auto& mounts = mapped.service("a")["mounts"];
    EXPECT_EQ(mounts[0]["source"], "data");
    EXPECT_EQ(mounts[1]["source"], "shared-data");
    EXPECT_EQ(mounts[3]["source"], "a_anon");
    EXPECT_EQ(mounts[4]["source"], "/p/rel");
    EXPECT_EQ(mapped.project.exact_volumes, std::set<std::string>{"shared-data"});
    EXPECT_NE(mapped.problems.find("error /p/c.yml:4:32 volumes: volume 'missing' is not declared"),
              std::string::npos)
        << mapped.problems;
    EXPECT_NE(mapped.problems.find(
                  "warning /p/c.yml:4:44 volumes: an anonymous volume: env-manager names it 'a_anon'"),
              std::string::npos)
        << mapped.problems;
}

TEST(ComposeMapping, KeysThatCannotBeHonouredAreNamedNeverDropped) {
    const auto mapped = map(
        "services:\n  a:\n    image: x\n    privileged: true\n    hostname: h\n    restrat: always\n"
        "    network_mode: host\n    deploy: {replicas: 3, placement: {constraints: [x]}}\n    x-note: fine\n"
        "  b:\n    build: .\n  c:\n    image: x\n    build: .\n    privileged: false\n");
    const auto& text = mapped.problems;
    EXPECT_NE(text.find("error /p/c.yml:4:17 privileged: not supported: env-manager does not run privileged"),
              std::string::npos)
        << text;
    EXPECT_NE(
        text.find("warning /p/c.yml:5:15 hostname: ignored: a container's host name is its container name"),
        std::string::npos);
    EXPECT_NE(text.find("error /p/c.yml:6:14 restrat: unknown key 'restrat' (did you mean 'restart'?)"),
              std::string::npos);
    EXPECT_NE(text.find("error /p/c.yml:7:19 network_mode: not supported"), std::string::npos);
    EXPECT_NE(text.find("deploy.replicas: needs a backend that places services (backend.swarm)"),
              std::string::npos);
    EXPECT_EQ(text.find("deploy.placement"), std::string::npos);  // mapped: placement = ["x"]
    EXPECT_NE(text.find("error /p/c.yml:11:12 build: env-manager builds no images"), std::string::npos);
    EXPECT_NE(text.find("warning /p/c.yml:14:12 build: not run"), std::string::npos);
    EXPECT_EQ(text.find("x-note"), std::string::npos);
    EXPECT_EQ(text.find("15:"), std::string::npos);  // privileged: false asks for nothing
}

TEST(ComposeMapping, ProfilesChooseServicesAndADependencyOnALeftOutOneIsNamed) {
    const std::string text =
        "services:\n  app:\n    image: x\n    depends_on: {tool: {condition: service_started}}\n"
        "  soft:\n    image: x\n    depends_on: {tool: {condition: service_started, required: false}}\n"
        "  tool:\n    image: x\n    profiles: [tools]\n";
    const auto without = map(text);
    EXPECT_EQ(without.project.services.size(), 2U);
    EXPECT_NE(
        without.problems.find("error /p/c.yml:4:17 depends_on.tool: 'tool' runs only with profile tools"),
        std::string::npos)
        << without.problems;
    EXPECT_NE(
        without.problems.find("warning /p/c.yml:7:17 depends_on.tool: 'tool' is not part of this start"),
        std::string::npos);
    EXPECT_TRUE(without.service("soft")["depends_on"].empty());
    const auto with = map(text, {"tools"});
    EXPECT_EQ(with.project.services.size(), 3U);
    EXPECT_EQ(with.problems, "");
}

TEST(ComposeMapping, AValueOfAnotherKindIsAnErrorNeverACrash) {
    const auto mapped =
        map("services:\n  a:\n    image: x\n    volumes: /data\n    ports: {a: 1}\n    healthcheck: [x]\n"
            "  b:\n    image: x\n    healthcheck: {test: [CMD, x], disable: maybe}\n"
            "  c:\n    image: x\n    depends_on: {a: {condition: 5}}\n    deploy: {resources: {reservations: "
            "{devices: [7]}}}\n");
    EXPECT_NE(mapped.problems.find("error /p/c.yml:4:14 volumes: expected a list"), std::string::npos)
        << mapped.problems;
    EXPECT_NE(mapped.problems.find("error /p/c.yml:5:12 ports: expected a list"), std::string::npos);
    EXPECT_NE(mapped.problems.find("error /p/c.yml:6:18 healthcheck: expected a mapping"), std::string::npos);
    EXPECT_NE(mapped.problems.find("error /p/c.yml:7:3 : a value of a kind this key does not take"),
              std::string::npos);
    EXPECT_NE(mapped.problems.find("error /p/c.yml:10:3 : a value of a kind this key does not take"),
              std::string::npos);
}

TEST(ComposeMapping, TheDefaultNetworksNameBecomesTheTenantsNetwork) {
    EXPECT_EQ(map("services: {a: {image: x}}\nnetworks:\n  default: {name: shared-net}\n").project.network,
              "shared-net");
}

}  // namespace
}  // namespace envmgr::host::registry::compose
