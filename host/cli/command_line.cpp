#include "host/cli/command_line.h"

namespace envmgr::host::cli {

ParseResult parse_command_line(const std::vector<std::string>& args) {
    ParseResult result;
    CommandLine& cl = result.command_line;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        // Both "--flag value" and "--flag=value" are accepted for flags that take a value.
        auto value_of = [&](const std::string& flag) -> std::optional<std::string> {
            if (arg == flag) {
                if (i + 1 >= args.size()) return std::nullopt;
                return args[++i];
            }
            return arg.substr(flag.size() + 1);
        };
        if (arg == "-h" || arg == "--help") {
            cl.help = true;
        } else if (arg == "-V" || arg == "--version") {
            cl.version = true;
        } else if (arg == "--list-plugins") {
            cl.list_plugins = true;
        } else if (arg == "--json") {
            cl.json = true;
        } else if (arg == "--check-config") {
            cl.check_config = true;
        } else if (arg == "--print-config") {
            cl.print_config = true;
        } else if (arg == "--config" || arg.starts_with("--config=")) {
            auto value = value_of("--config");
            if (!value || value->empty()) return {cl, "--config needs a file name"};
            cl.config_file = *value;
        } else if (arg == "--compose" || arg.starts_with("--compose=")) {
            auto value = value_of("--compose");
            if (!value || value->empty()) return {cl, "--compose needs a Compose file"};
            cl.compose_files.push_back(*value);
        } else if (arg == "--log-format" || arg.starts_with("--log-format=")) {
            auto value = value_of("--log-format");
            if (!value || (*value != "text" && *value != "json")) {
                return {cl, "--log-format needs 'text' or 'json'"};
            }
            cl.log_format = *value;
        } else {
            return {cl, "unknown argument '" + arg + "' (see --help)"};
        }
    }
    if (cl.json && !cl.list_plugins && !cl.print_config) {
        return {cl, "--json goes with --list-plugins or --print-config"};
    }
    return result;
}

std::string usage_text() {
    return R"(Usage: env-manager [OPTIONS]

Runs the env-manager daemon until SIGINT or SIGTERM.

Options:
  --config FILE        read this TOML file (default: $ENV_MANAGER_CONFIG, else none)
  --compose FILE       run this Compose file's services in the default tenant
                       (repeatable: later files override earlier ones; a .env file
                       beside the first one and COMPOSE_PROFILES are read)
  --log-format FORMAT  text or json (default: $ENV_MANAGER_LOG_FORMAT, else text)
  --list-plugins       list the plugins found in the plugin path and exit
  --json               with --list-plugins or --print-config: print JSON
  --check-config       validate the configuration, plugin settings and the services
                       of every tenant, list every problem, then exit
                       (exit status 0 when valid, 2 when not)
  --print-config       print the effective services of every tenant as TOML (with
                       --json: JSON), then exit (2 when the configuration is invalid)
  -V, --version        print the version and exit
  -h, --help           print this help and exit

Environment: ENV_MANAGER_GRPC_ADDR, ENV_MANAGER_METRICS_ADDR, ENV_MANAGER_CONFIG,
ENV_MANAGER_LOG (or RUST_LOG), ENV_MANAGER_LOG_FORMAT, ENV_MANAGER_VERBOSE,
ENV_MANAGER_MAX_CONCURRENT, ENV_MANAGER_HEALTH_TIMEOUT, ENV_MANAGER_PLUGIN_PATH,
DOCKER_HOST, DOCKER_API_VERSION. See README.md for every key and default.
)";
}

}  // namespace envmgr::host::cli
