// Who may call what. With a bearer token configured, every env_manager.v1 call must carry it.
// Without any authentication, a server listening beyond loopback is in protected mode (as
// Redis is, and as Docker refuses unauthenticated remote TCP): callers from other hosts may
// read the stack's state, but calls that change the stack, and the services' logs (which carry
// secrets as often as anything), are refused, saying how to configure authentication.
// Pure: unit-tested without a server.
#pragma once

#include <grpcpp/support/status.h>

#include <optional>
#include <string>
#include <string_view>

namespace envmgr::plugins::frontends::grpc_frontend {

struct AccessSettings {
    std::string listen_address;        // host:port or unix:PATH
    std::string token;                 // "" : no bearer token
    bool client_certificates = false;  // TLS with required client certificates (mTLS)
};

// Whether an address (listen "host:port", "unix:PATH", or a gRPC peer "ipv4:127.0.0.1:4000",
// "ipv6:[::1]:4000", "unix:...") is this host only.
bool is_loopback_listen(std::string_view listen_address);
bool is_loopback_peer(std::string_view peer);

// Equal secrets, compared in time that does not depend on where they differ.
bool same_secret(std::string_view given, std::string_view expected);

// authorization: the request's "authorization" metadata, if any; local_only: a call protected
// mode keeps to this host (it changes the stack, or reads the services' logs).
grpc::Status check_access(const AccessSettings& settings, std::string_view peer,
                          const std::optional<std::string>& authorization, bool local_only);

}  // namespace envmgr::plugins::frontends::grpc_frontend
