// Where the Docker engine listens, from DOCKER_HOST.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace envmgr::plugins::backends::docker {

struct Endpoint {
    enum class Kind { unix_socket, tcp };
    Kind kind = Kind::unix_socket;
    std::string path;  // unix socket path
    std::string host;  // tcp host
    std::uint16_t port = 0;
    std::string text;  // as configured, for messages

    // The HTTP Host header value.
    [[nodiscard]] std::string host_header() const;
};

// "unix:///var/run/docker.sock", "tcp://127.0.0.1:2375" (an empty text means the default
// socket). Throws sdk::Error(INVALID) naming what is wrong.
Endpoint parse_endpoint(std::string_view docker_host);

}  // namespace envmgr::plugins::backends::docker
