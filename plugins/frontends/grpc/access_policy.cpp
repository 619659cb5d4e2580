#include "plugins/frontends/grpc/access_policy.h"

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool loopback_host(std::string_view host) {
    return host == "localhost" || starts_with(host, "127.") || host == "::1" || host == "[::1]" ||
           starts_with(host, "[::ffff:127.") || starts_with(host, "::ffff:127.");
}

}  // namespace

bool is_loopback_listen(std::string_view listen_address) {
    if (starts_with(listen_address, "unix:")) return true;
    const auto colon = listen_address.rfind(':');
    return loopback_host(colon == std::string_view::npos ? listen_address : listen_address.substr(0, colon));
}

bool is_loopback_peer(std::string_view peer) {
    if (starts_with(peer, "unix:")) return true;
    if (starts_with(peer, "ipv4:")) return starts_with(peer.substr(5), "127.");
    if (starts_with(peer, "ipv6:")) {
        // gRPC since 1.48 percent-encodes the brackets: ipv6:%5B::1%5D:4000.
        const auto address = peer.substr(5);
        return starts_with(address, "[::1]") || starts_with(address, "[::ffff:127.") ||
               starts_with(address, "%5B::1%5D") || starts_with(address, "%5B::ffff:127.");
    }
    return false;
}

bool same_secret(std::string_view given, std::string_view expected) {
    // Every byte of `given` is looked at whatever the outcome; lengths differing is a difference.
    unsigned difference = given.size() == expected.size() ? 0U : 1U;
    for (std::size_t i = 0; i < given.size(); ++i) {
        const unsigned char other =
            expected.empty() ? 0 : static_cast<unsigned char>(expected[i % expected.size()]);
        difference |= static_cast<unsigned>(static_cast<unsigned char>(given[i]) ^ other);
    }
    return difference == 0 && !expected.empty();
}

grpc::Status check_access(const AccessSettings& settings, std::string_view peer,
                          const std::optional<std::string>& authorization, bool local_only) {
    if (!settings.token.empty()) {
        const std::string_view scheme = "Bearer ";
        if (!authorization || !starts_with(*authorization, scheme) ||
            !same_secret(std::string_view(*authorization).substr(scheme.size()), settings.token)) {
            return {grpc::StatusCode::UNAUTHENTICATED,
                    "this env-manager requires a bearer token: send the metadata 'authorization: Bearer "
                    "<token>'"};
        }
        return grpc::Status::OK;
    }
    if (settings.client_certificates || !local_only || is_loopback_listen(settings.listen_address) ||
        is_loopback_peer(peer)) {
        return grpc::Status::OK;
    }
    return {grpc::StatusCode::PERMISSION_DENIED,
            "protected mode: env-manager listens on " + settings.listen_address +
                " without authentication, so only clients on this host may change the stack or read its "
                "logs. Configure a "
                "bearer token (plugins.\"frontend.grpc\".token_file or token_env), TLS client certificates "
                "(tls_client_ca_file), or listen on 127.0.0.1 or a unix socket (ENV_MANAGER_GRPC_ADDR)"};
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
