// How envctl reaches the daemon: the address (TCP host:port or unix:PATH; the daemon's wildcard
// listen address means this host), the tenant, a bearer token and TLS, as the daemon's
// frontend.grpc takes them; and how a call's failure becomes one line and an exit code.
#pragma once

#include <env_manager/v1/env_manager.grpc.pb.h>
#include <env_manager/v1/operator.grpc.pb.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace envctl {

namespace pb = ::env_manager::v1;

struct ConnectionOptions {
    std::string address = "0.0.0.0:50100";
    std::string tenant = "default";
    std::string token;
    std::string token_file;
    std::string tls_ca_file;  // set: TLS, the server verified against this CA
    std::string tls_cert_file;
    std::string tls_key_file;
    std::string tls_server_name;
    double connect_timeout_seconds = 5;
};

// A failure that ends the command: its one line (without "envctl: ") and exit code.
class CommandError : public std::runtime_error {
public:
    CommandError(int exit_code, const std::string& message)
        : std::runtime_error(message), exit_code_(exit_code) {}
    [[nodiscard]] int exit_code() const noexcept { return exit_code_; }

private:
    int exit_code_;
};

// The address dialed for a listen address: 0.0.0.0:P and [::]:P mean this host.
std::string dial_address(const std::string& address);

class Session {
public:
    explicit Session(ConnectionOptions options);

    // Waits until the channel connects (connect_timeout_seconds); CommandError when it does not.
    void connect();
    // A context carrying the tenant and token; with a deadline when timeout > 0.
    [[nodiscard]] std::unique_ptr<grpc::ClientContext> context(std::chrono::milliseconds timeout = {}) const;
    pb::EnvManagerService::Stub& manager() { return *manager_; }
    pb::OperatorService::Stub& operator_service() { return *operator_; }
    [[nodiscard]] const std::string& address() const { return dialed_; }
    [[nodiscard]] const std::string& tenant() const { return options_.tenant; }

    // The CommandError a failed call means: unreachable, refused, timed out or failed.
    [[nodiscard]] CommandError error(const grpc::Status& status, const std::string& what) const;

private:
    ConnectionOptions options_;
    std::string dialed_;
    std::string token_;
    std::shared_ptr<grpc::Channel> channel_;
    std::unique_ptr<pb::EnvManagerService::Stub> manager_;
    std::unique_ptr<pb::OperatorService::Stub> operator_;
};

}  // namespace envctl
