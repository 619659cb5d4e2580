#include "plugins/frontends/grpc/grpc_frontend.h"

#include "plugins/frontends/grpc/call_metrics.h"
#include "plugins/frontends/grpc/request_parse_check.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

constexpr const char* kServiceName = "env_manager.v1.EnvManagerService";

std::string read_file(const std::string& key, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw sdk::Error(ENVMGR_STATUS_INVALID, key + ": cannot read '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string without_trailing_newlines(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

}  // namespace

const char* GrpcFrontend::config_schema() {
    return R"json({
      "addr": {"type": "string", "host_key": "server.grpc_addr",
               "description": "listen address, host:port or unix:PATH (server.grpc_addr, ENV_MANAGER_GRPC_ADDR)"},
      "token_file": {"type": "string", "default": "",
                     "description": "file holding the bearer token every call must send"},
      "token_env": {"type": "string", "default": "",
                    "description": "name of an environment variable holding the bearer token"},
      "tls_cert_file": {"type": "string", "default": "", "description": "PEM server certificate (TLS)"},
      "tls_key_file": {"type": "string", "default": "", "description": "PEM private key of tls_cert_file"},
      "tls_client_ca_file": {"type": "string", "default": "",
                             "description": "PEM CA of the client certificates required (mTLS)"},
      "health_stream_queue": {"type": "integer", "default": 256,
                              "description": "updates queued per StreamHealth call; beyond it the oldest go"},
      "health_heartbeat_seconds": {"type": "integer", "default": 10,
                                   "description": "StreamHealth heartbeat when a request's interval_seconds is 0"}
    })json";
}

FrontendSettings settings_from(const nlohmann::json& config_json) {
    const sdk::PluginConfig config(config_json, GrpcFrontend::config_schema());
    FrontendSettings settings;
    // The address's default is the host's (server.grpc_addr), which the host fills in.
    settings.address = config.get_or<std::string>("addr", "");
    settings.access.listen_address = settings.address;
    const auto token_file = config.get<std::string>("token_file");
    const auto token_env = config.get<std::string>("token_env");
    if (!token_file.empty() && !token_env.empty()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "token_file and token_env: set one of them, not both");
    }
    if (!token_file.empty()) {
        settings.access.token = without_trailing_newlines(read_file("token_file", token_file));
        if (settings.access.token.empty()) {
            throw sdk::Error(ENVMGR_STATUS_INVALID, "token_file: '" + token_file + "' holds no token");
        }
    }
    if (!token_env.empty()) {
        const char* value = std::getenv(token_env.c_str());
        if (value == nullptr || *value == '\0') {
            throw sdk::Error(ENVMGR_STATUS_INVALID,
                             "token_env: the environment variable " + token_env + " is not set or empty");
        }
        settings.access.token = value;
    }
    settings.tls_cert_file = config.get<std::string>("tls_cert_file");
    settings.tls_key_file = config.get<std::string>("tls_key_file");
    settings.tls_client_ca_file = config.get<std::string>("tls_client_ca_file");
    if (settings.tls_cert_file.empty() != settings.tls_key_file.empty()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "tls_cert_file and tls_key_file: set both or neither");
    }
    if (!settings.tls_client_ca_file.empty() && settings.tls_cert_file.empty()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "tls_client_ca_file: needs tls_cert_file and tls_key_file");
    }
    settings.access.client_certificates = !settings.tls_client_ca_file.empty();
    const auto queue = config.get<std::int64_t>("health_stream_queue");
    const auto heartbeat = config.get<std::int64_t>("health_heartbeat_seconds");
    if (queue < 1) throw sdk::Error(ENVMGR_STATUS_INVALID, "health_stream_queue: must be at least 1");
    if (heartbeat < 1) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "health_heartbeat_seconds: must be at least 1");
    }
    settings.service.health_stream_queue = static_cast<std::size_t>(queue);
    settings.service.default_heartbeat = std::chrono::seconds(heartbeat);
    return settings;
}

GrpcFrontend::GrpcFrontend(const sdk::Host& host, const nlohmann::json& config)
    : FrontendPlugin(host),
      settings_(settings_from(config)),
      timers_([host](const std::string& what) { host.error("frontend.grpc timer handler threw: " + what); }) {
}

GrpcFrontend::~GrpcFrontend() {
    install_protobuf_log_filter({});
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
    timers_.shutdown();
}

void GrpcFrontend::start() {
    std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
    if (!settings_.tls_cert_file.empty()) {
        grpc::SslServerCredentialsOptions tls(
            settings_.tls_client_ca_file.empty()
                ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
        tls.pem_key_cert_pairs.push_back({read_file("tls_key_file", settings_.tls_key_file),
                                          read_file("tls_cert_file", settings_.tls_cert_file)});
        if (!settings_.tls_client_ca_file.empty()) {
            tls.pem_root_certs = read_file("tls_client_ca_file", settings_.tls_client_ca_file);
        }
        credentials = grpc::SslServerCredentials(tls);
    }
    service_ =
        std::make_unique<EnvManagerService>(host(), settings_.access, timers_.context(), settings_.service);
    operator_service_ = std::make_unique<OperatorService>(host(), settings_.access);
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    int bound_port = 0;
    builder.AddListeningPort(settings_.address, credentials, &bound_port);
    builder.RegisterService(service_.get());
    builder.RegisterService(operator_service_.get());
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
    // First: the metrics count the status it corrects.
    interceptors.push_back(std::make_unique<RequestParseCheck>());
    auto call_metrics = std::make_unique<CallMetrics>(host());
    call_metrics_ = call_metrics.get();  // owned by the server from here on
    if (const auto* described =
            pb::StartServicesRequest::descriptor()->file()->FindServiceByName("EnvManagerService")) {
        call_metrics->declare_streams(*described);
    }
    interceptors.push_back(std::move(call_metrics));
    install_protobuf_log_filter([host = host()](int level, const std::string& text) {
        host.warn("protobuf (level " + std::to_string(level) + "): " + text);
    });
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    server_ = builder.BuildAndStart();
    if (!server_ || (settings_.address.rfind("unix:", 0) != 0 && bound_port == 0)) {
        server_.reset();
        throw sdk::Error(ENVMGR_STATUS_UNAVAILABLE, "cannot listen on " + settings_.address +
                                                        " (in use, or not an address of this host)");
    }
    server_->GetHealthCheckService()->SetServingStatus(kServiceName, true);
    host().info("gRPC on " + settings_.address +
                (settings_.access.token.empty() ? "" : ", bearer token required") +
                (settings_.tls_cert_file.empty() ? "" : ", TLS") +
                (settings_.access.client_certificates ? " with client certificates" : ""));
}

void GrpcFrontend::stop(const sdk::Completion& done) {
    install_protobuf_log_filter({});
    if (server_) {
        server_->GetHealthCheckService()->SetServingStatus(false);
        // Streams never end by themselves: each ends now, saying why. Unary calls get a moment
        // to answer; then the server shuts down at once, so an idle client connection (which
        // gRPC would otherwise wait for until the deadline) does not hold up the daemon's exit.
        service_->close_streams({grpc::StatusCode::UNAVAILABLE, "env-manager is shutting down"});
        call_metrics_->wait_idle(std::chrono::steady_clock::now() + std::chrono::seconds(2));
        server_->Shutdown(std::chrono::system_clock::now());
        server_->Wait();
        server_.reset();
        call_metrics_ = nullptr;
    }
    timers_.shutdown();
    done.ok();
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
