#include "tools/envctl/session.h"

#include "tools/envctl/exit_codes.h"

#include <fstream>
#include <sstream>

namespace envctl {
namespace {

std::string read_secret_file(const std::string& path, const char* what) {
    std::ifstream in(path);
    if (!in) throw CommandError(kExitUsage, std::string(what) + ": cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    auto value = text.str();
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r' || value.back() == ' ')) {
        value.pop_back();
    }
    return value;
}

std::shared_ptr<grpc::ChannelCredentials> credentials(const ConnectionOptions& options) {
    if (options.tls_ca_file.empty() && options.tls_cert_file.empty()) {
        return grpc::InsecureChannelCredentials();
    }
    grpc::SslCredentialsOptions tls;
    if (!options.tls_ca_file.empty()) tls.pem_root_certs = read_secret_file(options.tls_ca_file, "--tls-ca");
    if (!options.tls_cert_file.empty()) {
        tls.pem_cert_chain = read_secret_file(options.tls_cert_file, "--tls-cert");
        tls.pem_private_key = read_secret_file(options.tls_key_file, "--tls-key");
    }
    return grpc::SslCredentials(tls);
}

}  // namespace

std::string dial_address(const std::string& address) {
    if (address.rfind("unix:", 0) == 0) return address;
    if (address.rfind("0.0.0.0:", 0) == 0) return "127.0.0.1:" + address.substr(8);
    if (address.rfind("[::]:", 0) == 0) return "[::1]:" + address.substr(5);
    if (!address.empty() && address.front() == ':') return "127.0.0.1" + address;
    return address;
}

Session::Session(ConnectionOptions options)
    : options_(std::move(options)), dialed_(dial_address(options_.address)) {
    token_ = options_.token;
    if (token_.empty() && !options_.token_file.empty()) {
        token_ = read_secret_file(options_.token_file, "--token-file");
    }
    grpc::ChannelArguments arguments;
    if (!options_.tls_server_name.empty()) arguments.SetSslTargetNameOverride(options_.tls_server_name);
    arguments.SetMaxReceiveMessageSize(64 * 1024 * 1024);
    channel_ = grpc::CreateCustomChannel(dialed_, credentials(options_), arguments);
    manager_ = pb::EnvManagerService::NewStub(channel_);
    operator_ = pb::OperatorService::NewStub(channel_);
}

void Session::connect() {
    const auto deadline =
        std::chrono::system_clock::now() +
        std::chrono::milliseconds(static_cast<long>(options_.connect_timeout_seconds * 1000));
    const auto unreachable = [this](const char* why) {
        return CommandError(kExitUnreachable,
                            "cannot reach env-manager at " + dialed_ + ": " + why +
                                " (is it running? --addr or ENV_MANAGER_GRPC_ADDR sets the address)");
    };
    // A refused connection fails at once (TRANSIENT_FAILURE), not at the deadline.
    for (auto state = channel_->GetState(true); state != GRPC_CHANNEL_READY;
         state = channel_->GetState(true)) {
        if (state == GRPC_CHANNEL_TRANSIENT_FAILURE || state == GRPC_CHANNEL_SHUTDOWN) {
            throw unreachable("the connection failed");
        }
        if (!channel_->WaitForStateChange(state, deadline)) throw unreachable("no answer in time");
    }
}

std::unique_ptr<grpc::ClientContext> Session::context(std::chrono::milliseconds timeout) const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("x-env-manager-tenant", options_.tenant);
    if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
    if (timeout.count() > 0) context->set_deadline(std::chrono::system_clock::now() + timeout);
    return context;
}

CommandError Session::error(const grpc::Status& status, const std::string& what) const {
    const std::string said = status.error_message();
    switch (status.error_code()) {
        case grpc::StatusCode::UNAVAILABLE:
            return {kExitUnreachable, "cannot reach env-manager at " + dialed_ + ": " + said};
        case grpc::StatusCode::UNAUTHENTICATED:
        case grpc::StatusCode::PERMISSION_DENIED:
            return {kExitRefused, "env-manager at " + dialed_ + " refused " + what + ": " + said};
        case grpc::StatusCode::DEADLINE_EXCEEDED:
            return {kExitTimeout, what + ": no answer within the timeout"};
        default: return {kExitFailed, what + ": " + said};
    }
}

}  // namespace envctl
