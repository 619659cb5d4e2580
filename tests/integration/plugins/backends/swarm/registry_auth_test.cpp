// backend.swarm hands the credentials configured for an image's registry to the manager with the
// service (X-Registry-Auth), which passes them to each node that pulls the image. An engine
// that answers every request with one canned body stands in for the manager.
#include "tests/support/backend_harness.h"
#include "tests/support/canned_server.h"

#include <gtest/gtest.h>
#include <boost/beast/core/detail/base64.hpp>

#include <algorithm>

namespace envmgr::tests {
namespace {

using namespace std::chrono_literals;

// The X-Registry-Auth header of a request head, decoded; null when there is none.
nlohmann::json registry_auth_of(const std::string& head) {
    const std::string name = "X-Registry-Auth: ";
    const auto at = head.find(name);
    if (at == std::string::npos) return nullptr;
    std::string value = head.substr(at + name.size(), head.find("\r\n", at) - at - name.size());
    std::replace(value.begin(), value.end(), '-', '+');  // base64url -> base64
    std::replace(value.begin(), value.end(), '_', '/');
    while (value.size() % 4 != 0) value += '=';
    std::string decoded(boost::beast::detail::base64::decoded_size(value.size()), '\0');
    decoded.resize(boost::beast::detail::base64::decode(decoded.data(), value.data(), value.size()).first);
    return nlohmann::json::parse(decoded);
}

nlohmann::json spec_of(const std::string& image) {
    return {{"name", "envmgr-test-auth"}, {"image", image}, {"labels", {{"env-manager.service", "auth"}}}};
}

TEST(SwarmRegistryAuth, TheImagesRegistryCredentialsGoWithTheServiceAndNoOthers) {
    // The same body answers the version negotiation (ApiVersion) and the create (ID).
    const std::string body = R"({"ApiVersion":"1.41","ID":"svc1","Warnings":[]})";
    CannedServer manager("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body,
                         CannedServer::After::close);
    const nlohmann::json settings{
        {"manager", manager.docker_host()},
        {"registry_auth", {{"registry.example.com", {{"username", "deploy"}, {"password", "s3cret"}}}}}};
    BackendHarness backend({}, settings, {}, "backend.swarm");
    ASSERT_TRUE(backend.loaded());

    const auto created =
        backend.call("container.create", {{"spec", spec_of("registry.example.com/team/model:1")}}, 10s);
    ASSERT_EQ(created.status, ENVMGR_STATUS_OK) << created.payload;
    EXPECT_EQ(created.json()["id"], "svc1");
    const auto head = manager.last_request();
    EXPECT_NE(head.find("POST /v1.41/services/create"), std::string::npos) << head;
    EXPECT_EQ(registry_auth_of(head), (nlohmann::json{{"username", "deploy"},
                                                      {"password", "s3cret"},
                                                      {"serveraddress", "registry.example.com"}}));

    const auto other =
        backend.call("container.create", {{"spec", spec_of("docker.io/library/redis:7")}}, 10s);
    ASSERT_EQ(other.status, ENVMGR_STATUS_OK) << other.payload;
    EXPECT_TRUE(registry_auth_of(manager.last_request()).is_null()) << manager.last_request();
}

}  // namespace
}  // namespace envmgr::tests
