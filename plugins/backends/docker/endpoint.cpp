#include "plugins/backends/docker/endpoint.h"

#include <envmgr/sdk/status.h>

#include <charconv>

namespace envmgr::plugins::backends::docker {

std::string Endpoint::host_header() const {
    // The engine ignores the Host header on a unix socket, but HTTP/1.1 requires one.
    return kind == Kind::tcp ? host + ":" + std::to_string(port) : std::string("docker");
}

Endpoint parse_endpoint(std::string_view docker_host) {
    Endpoint endpoint;
    if (docker_host.empty()) docker_host = "unix:///var/run/docker.sock";
    endpoint.text = std::string(docker_host);
    if (docker_host.starts_with("unix://")) {
        endpoint.kind = Endpoint::Kind::unix_socket;
        endpoint.path = std::string(docker_host.substr(7));
        if (endpoint.path.empty() || endpoint.path.front() != '/') {
            throw sdk::Error(ENVMGR_STATUS_INVALID,
                             "DOCKER_HOST '" + endpoint.text + "': unix:// needs an absolute socket path");
        }
        return endpoint;
    }
    if (docker_host.starts_with("tcp://") || docker_host.starts_with("http://")) {
        std::string_view rest = docker_host.substr(docker_host.find("//") + 2);
        if (const auto slash = rest.find('/'); slash != std::string_view::npos) rest = rest.substr(0, slash);
        const auto colon = rest.rfind(':');
        if (colon == std::string_view::npos || colon == 0) {
            throw sdk::Error(ENVMGR_STATUS_INVALID,
                             "DOCKER_HOST '" + endpoint.text + "': expected tcp://HOST:PORT");
        }
        unsigned port = 0;
        const auto digits = rest.substr(colon + 1);
        const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (ec != std::errc() || ptr != digits.data() + digits.size() || port == 0 || port > 65535) {
            throw sdk::Error(ENVMGR_STATUS_INVALID,
                             "DOCKER_HOST '" + endpoint.text + "': port must be 1..65535");
        }
        endpoint.kind = Endpoint::Kind::tcp;
        endpoint.host = std::string(rest.substr(0, colon));
        if (endpoint.host.size() > 2 && endpoint.host.front() == '[' && endpoint.host.back() == ']') {
            endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
        }
        endpoint.port = static_cast<std::uint16_t>(port);
        return endpoint;
    }
    throw sdk::Error(ENVMGR_STATUS_INVALID, "DOCKER_HOST '" + endpoint.text +
                                                "': unsupported scheme (use unix:// or tcp://; "
                                                "tcp with TLS is not supported)");
}

}  // namespace envmgr::plugins::backends::docker
