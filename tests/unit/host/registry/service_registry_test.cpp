#include "host/registry/service_registry.h"
#include "tests/unit/host/registry/registry_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace envmgr::tests {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> names_of(const host::registry::TenantServices& tenant) {
    std::vector<std::string> names;
    for (const auto& service : tenant.services) names.push_back(service.definition.name);
    return names;
}

TEST(ServiceRegistry, WithoutConfigurationTheDefaultTenantRunsTheSixServices) {
    const auto built = build_registry_from("");
    ASSERT_TRUE(built.registry.ok()) << built.errors_text();
    ASSERT_EQ(built.registry.tenants.size(), 1U);
    const auto& tenant = built.registry.tenants[0];
    EXPECT_EQ(tenant.name, "default");
    EXPECT_EQ(tenant.network, "env-manager-default");
    EXPECT_EQ(names_of(tenant), (std::vector<std::string>{"infermesh-node-a", "infermesh-node-b",
                                                          "infermesh-router", "ollama", "redb", "redis"}));
    EXPECT_EQ(tenant.volumes, (std::vector<std::string>{"infermesh_cache_a", "infermesh_cache_b",
                                                        "ollama_data", "redb_data", "redis_data"}));
    const auto& redis = built.service("default", "redis");
    EXPECT_EQ(redis.container_name, "redis");
    EXPECT_EQ(redis.network, "env-manager-default");
    EXPECT_EQ(redis.plugin_id, "service.redis");
    ASSERT_EQ(redis.definition.ports.size(), 1U);
    EXPECT_EQ(redis.definition.ports[0].host_ip, "127.0.0.1");  // as the earlier stack bound them
    EXPECT_EQ(redis.definition.ports[0].host_port, 6379);
    EXPECT_EQ(redis.definition.mounts[0].source, "redis_data");
    EXPECT_EQ(redis.definition.labels.at("env-manager.tenant"), "default");
    EXPECT_EQ(redis.definition.labels.at("env-manager.service"), "redis");
    EXPECT_EQ(redis.definition.labels.at("env-manager.definition-hash"), redis.definition_hash);
    EXPECT_THAT(redis.definition_hash, ::testing::MatchesRegex("[0-9a-f]{16}"));
    const auto& router = built.service("default", "infermesh-router");
    EXPECT_EQ(router.definition.env.at("MESH_NODES"), "infermesh-node-a:9000,infermesh-node-b:9000");
    EXPECT_EQ(built.service("default", "ollama").definition.gpu, "none");  // no GPU on this host
    for (const auto& [port, service] : std::vector<std::pair<int, std::string>>{{8080, "redb"},
                                                                                {19001, "infermesh-node-a"},
                                                                                {19002, "infermesh-node-b"},
                                                                                {19000, "infermesh-router"},
                                                                                {11434, "ollama"}}) {
        EXPECT_EQ(built.service("default", service).definition.ports.at(0).host_port, port) << service;
    }
}

TEST(ServiceRegistry, OllamaGetsTheGpusWhereTheHostHasThem) {
    RegistryOptions options;
    options.host_has_gpus = true;
    const auto built = build_registry_from("", options);
    ASSERT_TRUE(built.registry.ok()) << built.errors_text();
    EXPECT_EQ(built.service("default", "ollama").definition.gpu, "required");
}

TEST(ServiceRegistry, OverridingABuiltInServiceChangesOnlyTheKeysGiven) {
    const auto built = build_registry_from(R"(
[services.redis]
image = "redis:7.2-alpine"
command = ["redis-server", "--appendonly", "yes"]
env = { REDIS_ARGS = "--save 60 1", MAXMEM = 256 }
ports = ["127.0.0.1:6380:6379", { container_port = 6379, host_port = 16379, host_ip = "0.0.0.0", protocol = "udp" }]
mounts = ["redis_data:/data", "/srv/redis.conf:/etc/redis.conf:ro", { type = "tmpfs", target = "/tmp" }]
readiness = { timeout_ms = 2500 }
restart_policy = "on-failure"
restart_max_retries = 4
resources = { cpus = 1.5, memory = "512m" }
gpu = "optional"
labels = { team = "agents" }
optional = true
stop_timeout_seconds = 30

[services.redb]
env_remove = ["REDB_NAMESPACE"]
env = { REDB_PORT = "8081" }
depends_on = ["redis", { service = "ollama", condition = "started" }]
)");
    ASSERT_TRUE(built.registry.ok()) << built.errors_text();
    const auto& redis = built.service("default", "redis").definition;
    EXPECT_EQ(redis.image, "redis:7.2-alpine");
    EXPECT_EQ(redis.command, (std::vector<std::string>{"redis-server", "--appendonly", "yes"}));
    EXPECT_EQ(redis.env.at("REDIS_ARGS"), "--save 60 1");
    EXPECT_EQ(redis.env.at("MAXMEM"), "256");
    ASSERT_EQ(redis.ports.size(), 2U);
    EXPECT_EQ(redis.ports[0].host_ip, "127.0.0.1");
    EXPECT_EQ(redis.ports[0].host_port, 6380);
    EXPECT_EQ(redis.ports[0].container_port, 6379);
    EXPECT_EQ(redis.ports[1].host_ip, "0.0.0.0");
    EXPECT_EQ(redis.ports[1].protocol, "udp");
    ASSERT_EQ(redis.mounts.size(), 3U);
    EXPECT_EQ(redis.mounts[1].type, "bind");
    EXPECT_EQ(redis.mounts[1].source, "/srv/redis.conf");
    EXPECT_TRUE(redis.mounts[1].read_only);
    EXPECT_EQ(redis.mounts[2].type, "tmpfs");
    // Only the timeout changed; the PING probe stays.
    EXPECT_EQ(redis.readiness.timeout_ms, 2500);
    EXPECT_EQ(redis.readiness.type, "tcp");
    EXPECT_EQ(redis.readiness.expect, "+PONG");
    EXPECT_EQ(redis.restart_policy, "on-failure");
    EXPECT_EQ(redis.restart_max_retries, 4);
    EXPECT_DOUBLE_EQ(redis.resources.cpus, 1.5);
    EXPECT_EQ(redis.resources.memory_bytes, 512LL * 1024 * 1024);
    EXPECT_EQ(redis.gpu, "optional");
    EXPECT_EQ(redis.labels.at("team"), "agents");
    EXPECT_TRUE(redis.optional);
    EXPECT_EQ(redis.stop_timeout_seconds, 30);

    const auto& redb = built.service("default", "redb").definition;
    EXPECT_FALSE(redb.env.contains("REDB_NAMESPACE"));
    EXPECT_EQ(redb.env.at("REDB_PORT"), "8081");
    EXPECT_EQ(redb.env.at("REDB_HOST"), "0.0.0.0");  // untouched
    ASSERT_EQ(redb.depends_on.size(), 2U);
    EXPECT_EQ(redb.depends_on[0].service, "redis");
    EXPECT_EQ(redb.depends_on[0].condition, "healthy");
    EXPECT_EQ(redb.depends_on[1].condition, "started");
    EXPECT_EQ(redb.image, "dspy-lightweight:latest");
}

TEST(ServiceRegistry, ANewNameDeclaresAServiceWithoutAPlugin) {
    const auto built = build_registry_from(R"(
[services.migrate]
image = "busybox:stable"
command = ["sh", "-c", "echo migrated"]
restart_policy = "no"

[services.api]
image = "127.0.0.1:5000/team/api:1.2"
ports = ["8090:8000"]
depends_on = [{ service = "migrate", condition = "completed_successfully" }, "redis"]
readiness = { type = "http", port = 8000, path = "/ready" }
)");
    ASSERT_TRUE(built.registry.ok()) << built.errors_text();
    const auto& api = built.service("default", "api");
    EXPECT_EQ(api.plugin_id, "");
    EXPECT_EQ(api.definition.ports.at(0).host_ip, "127.0.0.1");
    EXPECT_EQ(api.definition.depends_on.at(0).condition, "completed_successfully");
    EXPECT_EQ(api.definition.readiness.path, "/ready");
    EXPECT_EQ(api.definition.readiness.timeout_ms, 1000);  // the documented default
}

TEST(ServiceRegistry, DefaultsApplyToEveryServiceAndAServicesOwnKeyWins) {
    const auto built = build_registry_from(R"(
[defaults]
network = "stack-{tenant}-net"
host_ip = "0.0.0.0"
restart_policy = "always"
readiness = { timeout_ms = 3000, failure_threshold = 5 }

[services.redis]
readiness = { timeout_ms = 500 }

[services.extra]
image = "busybox:stable"
readiness = { type = "tcp", port = 1 }
)");
    ASSERT_TRUE(built.registry.ok()) << built.errors_text();
    EXPECT_EQ(built.registry.tenants[0].network, "stack-default-net");
    const auto& redis = built.service("default", "redis").definition;
    EXPECT_EQ(redis.ports[0].host_ip, "0.0.0.0");
    EXPECT_EQ(redis.restart_policy, "always");
    EXPECT_EQ(redis.readiness.timeout_ms, 500);
    EXPECT_EQ(redis.readiness.failure_threshold, 5);
    const auto& extra = built.service("default", "extra").definition;
    EXPECT_EQ(extra.readiness.timeout_ms, 3000);
    EXPECT_EQ(extra.restart_policy, "always");
    EXPECT_EQ(built.service("default", "redb").definition.readiness.timeout_ms, 3000);
}

TEST(ServiceRegistry, TwoTenantsFromOneFileAreDisjoint) {
    const auto built = build_registry_from(R"(
[tenants.blue]
port_offset = 100

[tenants.green]
port_offset = 200
[tenants.green.services.redis]
ports = ["127.0.0.1:7000:6379"]
)");
    ASSERT_TRUE(built.registry.ok()) << built.errors_text();
    ASSERT_EQ(built.registry.tenants.size(), 3U);
    EXPECT_EQ(built.registry.tenants[0].name, "default");
    std::set<std::string> containers;
    std::set<std::string> networks;
    std::set<std::string> volumes;
    std::set<int> ports;
    std::size_t count = 0;
    for (const auto& tenant : built.registry.tenants) {
        networks.insert(tenant.network);
        volumes.insert(tenant.volumes.begin(), tenant.volumes.end());
        for (const auto& service : tenant.services) {
            ++count;
            containers.insert(service.container_name);
            for (const auto& port : service.definition.ports) ports.insert(port.host_port);
            EXPECT_EQ(service.definition.labels.at("env-manager.tenant"), tenant.name);
        }
    }
    EXPECT_EQ(count, 18U);
    EXPECT_EQ(containers.size(), 18U);
    EXPECT_EQ(networks.size(), 3U);
    EXPECT_EQ(volumes.size(), 15U);
    EXPECT_EQ(ports.size(), 18U);
    const auto& blue = built.service("blue", "redis");
    EXPECT_EQ(blue.container_name, "blue-redis");
    EXPECT_EQ(blue.network, "env-manager-blue");
    EXPECT_EQ(blue.definition.mounts[0].source, "blue_redis_data");
    EXPECT_EQ(blue.definition.ports[0].host_port, 6479);
    EXPECT_EQ(built.service("green", "redis").definition.ports[0].host_port, 7000);  // explicit: no offset
    EXPECT_EQ(built.service("green", "redb").definition.ports[0].host_port, 8280);
    // Inside its own network a tenant's services keep their plain names.
    EXPECT_EQ(built.service("blue", "infermesh-router").definition.env.at("MESH_NODES"),
              "infermesh-node-a:9000,infermesh-node-b:9000");
    // The same definition in another tenant is another container: another hash.
    EXPECT_NE(blue.definition_hash, built.service("default", "redis").definition_hash);
}

TEST(ServiceRegistry, EnabledFalseRemovesAServiceAndTheRouterFollowsTheNodes) {
    const auto built = build_registry_from(R"(
[services.ollama]
enabled = false

[services.infermesh-node-c]
image = "official-infermesh:latest"
env = { MESH_NODE_ID = "node-c", MESH_PORT = "9000", REDIS_URL = "redis://redis:6379" }
ports = ["19003:9000"]
depends_on = ["redis"]
readiness = { type = "http", port = 9000, path = "/health" }

[tenants.small.services.infermesh-node-b]
enabled = false
[tenants.small]
port_offset = 1000
)");
    ASSERT_TRUE(built.registry.ok()) << built.errors_text();
    EXPECT_EQ(built.registry.find("default", "ollama"), nullptr);
    const auto& router = built.service("default", "infermesh-router").definition;
    EXPECT_EQ(router.env.at("MESH_NODES"),
              "infermesh-node-a:9000,infermesh-node-b:9000,infermesh-node-c:9000");
    ASSERT_EQ(router.depends_on.size(), 3U);
    EXPECT_EQ(router.depends_on[2].service, "infermesh-node-c");
    const auto& small_router = built.service("small", "infermesh-router").definition;
    EXPECT_EQ(small_router.env.at("MESH_NODES"), "infermesh-node-a:9000,infermesh-node-c:9000");
    EXPECT_EQ(small_router.depends_on.size(), 2U);
    EXPECT_EQ(built.registry.find("small", "infermesh-node-b"), nullptr);
}

TEST(ServiceRegistry, TheHashFollowsTheDefinition) {
    const auto a = build_registry_from("");
    const auto b = build_registry_from("");
    const auto c = build_registry_from("[services.redis]\nenv = { X = \"1\" }\n");
    EXPECT_EQ(a.service("default", "redis").definition_hash, b.service("default", "redis").definition_hash);
    EXPECT_NE(a.service("default", "redis").definition_hash, c.service("default", "redis").definition_hash);
    // What depends on redis follows it (its hash covers its dependencies'); the rest stays.
    for (const char* dependent : {"infermesh-node-a", "infermesh-node-b", "infermesh-router"}) {
        EXPECT_NE(a.service("default", dependent).definition_hash,
                  c.service("default", dependent).definition_hash)
            << dependent;
    }
    for (const char* unrelated : {"redb", "ollama"}) {
        EXPECT_EQ(a.service("default", unrelated).definition_hash,
                  c.service("default", unrelated).definition_hash)
            << unrelated;
    }
    const auto d = build_registry_from("[services.infermesh-router]\nenv = { X = \"1\" }\n");
    EXPECT_NE(a.service("default", "infermesh-router").definition_hash,
              d.service("default", "infermesh-router").definition_hash);
    for (const char* dependency : {"redis", "redb", "infermesh-node-a", "infermesh-node-b"}) {
        EXPECT_EQ(a.service("default", dependency).definition_hash,
                  d.service("default", dependency).definition_hash)
            << dependency;
    }
}

TEST(ServiceRegistry, VariablesAreReadFromTheEnvironment) {
    RegistryOptions options;
    options.environment = {{"REDIS_TAG", "7.2-alpine"}};
    const auto built = build_registry_from(R"(
[services.redis]
image = "redis:${REDIS_TAG}"
env = { LEVEL = "${LOG_LEVEL:-notice}", PRICE = "$$5" }
)",
                                           options);
    ASSERT_TRUE(built.loaded.ok());
    ASSERT_TRUE(built.registry.ok()) << built.errors_text();
    const auto& redis = built.service("default", "redis").definition;
    EXPECT_EQ(redis.image, "redis:7.2-alpine");
    EXPECT_EQ(redis.env.at("LEVEL"), "notice");
    EXPECT_EQ(redis.env.at("PRICE"), "$5");
}

TEST(ServiceRegistry, AnUnsetVariableWithoutDefaultIsAnErrorNamingItAndItsLine) {
    const auto built = build_registry_from("\n[services.redis]\nimage = \"redis:${REDIS_TAG}\"\n");
    ASSERT_EQ(built.loaded.errors.size(), 1U);
    const auto text = built.loaded.errors[0].to_string();
    EXPECT_THAT(text, HasSubstr(":3:9: 'services.redis.image': ${REDIS_TAG} is not set and has no default"));
}

struct ErrorCase {
    const char* name;
    const char* toml;
    const char* expected;  // a substring of one error
};

class RegistryErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(RegistryErrors, NameTenantServiceFieldAndLine) {
    const auto built = build_registry_from(GetParam().toml);
    ASSERT_TRUE(built.loaded.ok()) << built.loaded.errors.at(0).to_string();
    ASSERT_FALSE(built.registry.ok()) << "no error for " << GetParam().name;
    EXPECT_THAT(built.errors_text(), HasSubstr(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    EachValidation, RegistryErrors,
    ::testing::Values(
        ErrorCase{"unknown_dependency", "[services.redb]\ndepends_on = [\"redys\"]\n",
                  ":2:15: tenant 'default', service 'redb', field 'depends_on[0].service': unknown service "
                  "'redys'"},
        ErrorCase{"cycle",
                  "[services.alpha]\nimage = \"busybox\"\ndepends_on = [\"beta\"]\n"
                  "[services.beta]\nimage = \"busybox\"\ndepends_on = [\"alpha\"]\n",
                  "service 'alpha', field 'depends_on': dependency cycle: alpha -> beta -> alpha"},
        ErrorCase{
            "same_host_port", "[services.redb]\nports = [\"6379:8080\"]\n",
            "service 'redis', field 'ports[0].host_port': 127.0.0.1:6379/tcp is already claimed by tenant "
            "'default', service 'redb'"},
        ErrorCase{"any_address_overlaps", "[services.redb]\nports = [\"0.0.0.0:6379:8080\"]\n",
                  "127.0.0.1:6379/tcp is already claimed by tenant 'default', service 'redb' (0.0.0.0)"},
        ErrorCase{"tenant_ports_clash", "[tenants.blue]\n",
                  "tenant 'blue', service 'redis', field 'ports[0].host_port': 127.0.0.1:6379/tcp is already "
                  "claimed by tenant 'default', service 'redis' (127.0.0.1); give this tenant a port_offset"},
        ErrorCase{"same_container_name",
                  "[services.blue-redis]\nimage = \"busybox\"\n[tenants.blue]\nport_offset = 10\n",
                  "tenant 'blue', service 'redis', field 'container_name': container name 'blue-redis' is "
                  "also used "
                  "by tenant 'default', service 'blue-redis'"},
        ErrorCase{"bad_image", "[services.redis]\nimage = \"Redis:7\"\n",
                  ":2:1: tenant 'default', service 'redis', field 'image': 'Redis:7' is not a valid image "
                  "reference: "
                  "repository names are lowercase"},
        ErrorCase{"bad_port", "[services.redis]\nports = [{ container_port = 70000, host_port = 6379 }]\n",
                  "field 'ports[0].container_port': must be 1..65535"},
        ErrorCase{
            "port_syntax", "[services.redis]\nports = [\"63a79:6379\"]\n",
            ":2:10: tenant 'default', service 'redis', field 'ports[0]': '63a79:6379': host port '63a79' is "
            "not a number"},
        ErrorCase{"relative_bind",
                  "[services.redis]\nmounts = [{ type = \"bind\", source = \"data\", target = \"/data\" }]\n",
                  "field 'mounts[0].source': a bind mount needs an absolute host path, got 'data'"},
        ErrorCase{"relative_target", "[services.redis]\nmounts = [\"redis_data:data\"]\n",
                  "field 'mounts[0].target': must be an absolute path"},
        ErrorCase{"missing_image", "[services.worker]\ncommand = [\"run\"]\n",
                  ":1:11: tenant 'default', service 'worker', field 'image': required"},
        ErrorCase{"unknown_probe_type", "[services.redis]\nreadiness = { type = \"grpc\" }\n",
                  "field 'readiness.type': no probe plugin handles 'grpc' (loaded: exec, http, tcp)"},
        ErrorCase{
            "unknown_key", "[services.redis]\nimgae = \"redis\"\n",
            ":2:1: tenant 'default', service 'redis', field 'imgae': unknown key (did you mean 'image'?)"},
        ErrorCase{"wrong_type", "[services.redis]\noptional = \"yes\"\n",
                  "field 'optional': expected a boolean, got a string"},
        ErrorCase{"bad_condition",
                  "[services.redb]\ndepends_on = [{ service = \"redis\", condition = \"ready\" }]\n",
                  "field 'depends_on[0].condition': must be started, healthy or completed_successfully, got "
                  "'ready'"},
        ErrorCase{"bad_memory", "[services.redis]\nresources = { memory = \"lots\" }\n",
                  "field 'resources.memory': 'lots': expected a size"},
        ErrorCase{"reserved_label", "[services.redis]\nlabels = { \"env-manager.tenant\" = \"x\" }\n",
                  "field 'labels.env-manager.tenant': the env-manager.* labels are env-manager's own"},
        ErrorCase{"bad_tenant_name", "[tenants.Blue]\n", "a tenant name is 1 to 32 lowercase letters"},
        ErrorCase{"bad_default_ip", "[defaults]\nhost_ip = \"localhost\"\n",
                  "field 'defaults.host_ip': expected an IPv4 or IPv6 address"},
        ErrorCase{"tenant_override",
                  "[tenants.blue]\nport_offset = 5\n[tenants.blue.services.redis]\nimage = \"\"\n",
                  ":4:1: tenant 'blue', service 'redis', field 'image': required"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(ServiceRegistry, EveryErrorIsListedAtOnce) {
    const auto built = build_registry_from(R"(
[services.redis]
image = "Redis"
[services.redb]
depends_on = ["nope"]
[services.worker]
command = ["x"]
)");
    EXPECT_EQ(built.registry.errors.size(), 3U) << built.errors_text();
    EXPECT_THAT(built.errors_text(), Not(HasSubstr("tenant 'default', service 'ollama'")));
}

}  // namespace
}  // namespace envmgr::tests
