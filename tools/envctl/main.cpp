// envctl: the operator's command line for env-manager, over the daemon's gRPC API (the
// orchestrator's EnvManagerService and the operator's OperatorService).
#include "tools/envctl/commands.h"
#include "tools/envctl/exit_codes.h"

#include <iostream>

namespace {

void add_connection_options(CLI::App& app, envctl::ConnectionOptions& connection) {
    app.add_option("--addr", connection.address,
                   "the daemon's gRPC address: host:port or unix:PATH (0.0.0.0:P means this host)")
        ->envname("ENV_MANAGER_GRPC_ADDR")
        ->capture_default_str();
    app.add_option("--tenant", connection.tenant, "the tenant")
        ->envname("ENV_MANAGER_TENANT")
        ->capture_default_str();
    app.add_option("--token", connection.token, "bearer token (visible to ps: prefer the variable or a file)")
        ->envname("ENV_MANAGER_TOKEN");
    app.add_option("--token-file", connection.token_file, "file holding the bearer token")
        ->envname("ENV_MANAGER_TOKEN_FILE");
    app.add_option("--tls-ca", connection.tls_ca_file,
                   "PEM CA the daemon's certificate is verified against: TLS");
    app.add_option("--tls-cert", connection.tls_cert_file, "PEM client certificate (mTLS)");
    app.add_option("--tls-key", connection.tls_key_file, "PEM key of the client certificate");
    app.add_option("--tls-server-name", connection.tls_server_name,
                   "the name the daemon's certificate is for");
    app.add_option("--connect-timeout", connection.connect_timeout_seconds, "seconds to wait for the daemon")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"envctl: start, watch and inspect the services env-manager runs"};
    app.footer(envctl::kExitCodesHelp);
    app.require_subcommand(1);
    app.fallthrough();  // the connection options also after the command
    app.set_version_flag("--version", ENVMGR_VERSION);
    envctl::ConnectionOptions connection;
    add_connection_options(app, connection);
    envctl::Runner run;
    envctl::add_lifecycle_commands(app, run);
    envctl::add_status_commands(app, run);
    envctl::add_logs_command(app, run);
    envctl::add_task_commands(app, run);
    envctl::add_pull_command(app, run);
    envctl::add_info_commands(app, run);
    envctl::add_analyze_commands(app, run);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? envctl::kExitOk : envctl::kExitUsage;
    } catch (const envctl::CommandError& error) {
        std::cerr << "envctl: " << error.what() << '\n';
        return error.exit_code();
    }
    try {
        envctl::Session session(connection);
        session.connect();
        return run(session);
    } catch (const envctl::CommandError& error) {
        std::cerr << "envctl: " << error.what() << '\n';
        return error.exit_code();
    }
}
