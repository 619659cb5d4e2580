#include "plugins/backends/docker/endpoint.h"

#include <envmgr/sdk/status.h>

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

TEST(DockerEndpoint, UnixSocketAndDefault) {
    EXPECT_EQ(parse_endpoint("").path, "/var/run/docker.sock");
    const auto e = parse_endpoint("unix:///run/user/docker.sock");
    EXPECT_EQ(e.kind, Endpoint::Kind::unix_socket);
    EXPECT_EQ(e.path, "/run/user/docker.sock");
    EXPECT_EQ(e.host_header(), "docker");
}

TEST(DockerEndpoint, TcpHostAndPort) {
    const auto e = parse_endpoint("tcp://127.0.0.1:2375");
    EXPECT_EQ(e.kind, Endpoint::Kind::tcp);
    EXPECT_EQ(e.host, "127.0.0.1");
    EXPECT_EQ(e.port, 2375);
    EXPECT_EQ(e.host_header(), "127.0.0.1:2375");
    EXPECT_EQ(parse_endpoint("tcp://[::1]:2375").host, "::1");
}

TEST(DockerEndpoint, MistakesAreNamed) {
    const auto message = [](const char* text) {
        try {
            parse_endpoint(text);
        } catch (const sdk::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message("ssh://host"),
              "DOCKER_HOST 'ssh://host': unsupported scheme (use unix:// or tcp://; tcp with TLS is not "
              "supported)");
    EXPECT_EQ(message("tcp://host"), "DOCKER_HOST 'tcp://host': expected tcp://HOST:PORT");
    EXPECT_EQ(message("tcp://host:99999"), "DOCKER_HOST 'tcp://host:99999': port must be 1..65535");
    EXPECT_EQ(message("unix://relative.sock"),
              "DOCKER_HOST 'unix://relative.sock': unix:// needs an absolute socket path");
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
