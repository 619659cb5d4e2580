#include "plugins/backends/docker/registry_credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSecret = "s3cr3t-Pa55";

CredentialSources sources() {
    return {[](const std::string& name) -> std::optional<std::string> {
                if (name == "REGISTRY_PASSWORD") return kSecret;
                return std::nullopt;
            },
            [](const std::string& path, std::string& error) -> std::optional<std::string> {
                if (path == "/run/secrets/registry") return kSecret + "\n";
                error = "No such file or directory";
                return std::nullopt;
            }};
}

std::string problem(const nlohmann::json& configured) {
    auto result = resolve_registry_auth(configured, sources());
    return std::holds_alternative<std::string>(result) ? std::get<std::string>(result) : std::string();
}

TEST(RegistryCredentials, APasswordComesInlineFromAFileOrFromTheEnvironment) {
    const nlohmann::json configured{
        {"a.example", {{"username", "u"}, {"password", kSecret}}},
        {"b.example", {{"username", "u"}, {"password_file", "/run/secrets/registry"}}},
        {"c.example", {{"username", "u"}, {"password_env", "REGISTRY_PASSWORD"}}}};
    const auto resolved = std::get<nlohmann::json>(resolve_registry_auth(configured, sources()));
    for (const char* registry : {"a.example", "b.example", "c.example"}) {
        EXPECT_EQ(resolved[registry], (nlohmann::json{{"username", "u"}, {"password", kSecret}})) << registry;
    }
}

TEST(RegistryCredentials, ProblemsNameTheRegistryAndKeyButNeverThePassword) {
    EXPECT_EQ(problem({{"r.example", {{"username", "u"}, {"password_env", "UNSET_VARIABLE"}}}}),
              "registry_auth.\"r.example\".password_env: the variable UNSET_VARIABLE is not set");
    EXPECT_EQ(problem({{"r.example", {{"username", "u"}, {"password_file", "/nope"}}}}),
              "registry_auth.\"r.example\".password_file: cannot read /nope: No such file or directory");
    const auto both =
        problem({{"r.example", {{"username", "u"}, {"password", kSecret}, {"password_env", "X"}}}});
    EXPECT_EQ(both,
              "registry_auth.\"r.example\": give exactly one of password, password_file and password_env");
    const auto no_user = problem({{"r.example", {{"password", kSecret}}}});
    EXPECT_EQ(no_user, "registry_auth.\"r.example\".username: required");
    const auto unknown =
        problem({{"r.example", {{"username", "u"}, {"password", kSecret}, {"token", kSecret}}}});
    EXPECT_THAT(unknown, HasSubstr("registry_auth.\"r.example\".token: unknown key"));
    for (const auto& text : {both, no_user, unknown}) EXPECT_THAT(text, Not(HasSubstr(kSecret)));
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
