#include "host/registry/compose/compose_keys.h"

#include <array>

namespace envmgr::host::registry::compose {
namespace {

using enum KeyHandling;

constexpr std::string_view kOneNetwork = "every service of a tenant is on the tenant's one network";

constexpr std::array kKeys{
    ComposeKey{"image", mapped, ""},
    ComposeKey{"build", mapped, ""},
    ComposeKey{"command", mapped, ""},
    ComposeKey{"entrypoint", mapped, ""},
    ComposeKey{"environment", mapped, ""},
    ComposeKey{"env_file", mapped, ""},
    ComposeKey{"ports", mapped, ""},
    ComposeKey{"expose", mapped, ""},
    ComposeKey{"volumes", mapped, ""},
    ComposeKey{"tmpfs", mapped, ""},
    ComposeKey{"depends_on", mapped, ""},
    ComposeKey{"healthcheck", mapped, ""},
    ComposeKey{"restart", mapped, ""},
    ComposeKey{"deploy", mapped, ""},
    ComposeKey{"user", mapped, ""},
    ComposeKey{"working_dir", mapped, ""},
    ComposeKey{"read_only", mapped, ""},
    ComposeKey{"cap_add", mapped, ""},
    ComposeKey{"cap_drop", mapped, ""},
    ComposeKey{"security_opt", mapped, ""},
    ComposeKey{"labels", mapped, ""},
    ComposeKey{"container_name", mapped, ""},
    ComposeKey{"stop_signal", mapped, ""},
    ComposeKey{"stop_grace_period", mapped, ""},
    ComposeKey{"init", mapped, ""},
    ComposeKey{"extra_hosts", mapped, ""},
    ComposeKey{"profiles", mapped, ""},
    ComposeKey{"extends", mapped, ""},
    ComposeKey{"mem_limit", mapped, ""},
    ComposeKey{"mem_reservation", mapped, ""},
    ComposeKey{"cpus", mapped, ""},
    ComposeKey{"networks", mapped, ""},
    ComposeKey{"network_mode", mapped, ""},
    ComposeKey{"links", ignored, "services reach each other by service name on the tenant network"},
    ComposeKey{"external_links", ignored, kOneNetwork},
    ComposeKey{"hostname", ignored, "a container's host name is its container name"},
    ComposeKey{"domainname", ignored, "not carried into the container"},
    ComposeKey{"dns", ignored, "the engine's DNS settings apply"},
    ComposeKey{"dns_search", ignored, "the engine's DNS settings apply"},
    ComposeKey{"dns_opt", ignored, "the engine's DNS settings apply"},
    ComposeKey{"mac_address", ignored, "the engine assigns addresses"},
    ComposeKey{"logging", ignored, "the engine's log driver applies; env-manager streams the logs"},
    ComposeKey{"platform", ignored, "the engine's own platform is used"},
    ComposeKey{"pull_policy", ignored, "env-manager pulls an image only when it is missing"},
    ComposeKey{"stdin_open", ignored, "services run without stdin"},
    ComposeKey{"tty", ignored, "services run without a terminal"},
    ComposeKey{"ulimits", ignored, "the engine's default limits apply"},
    ComposeKey{"sysctls", ignored, "the engine's defaults apply"},
    ComposeKey{"shm_size", ignored, "the engine's default (64 MiB) applies"},
    ComposeKey{"oom_kill_disable", ignored, "the engine's default applies"},
    ComposeKey{"oom_score_adj", ignored, "the engine's default applies"},
    ComposeKey{"mem_swappiness", ignored, "the engine's default applies"},
    ComposeKey{"memswap_limit", ignored, "the engine's default applies"},
    ComposeKey{"pids_limit", ignored, "the engine's default applies"},
    ComposeKey{"cpu_count", ignored, "use deploy.resources.limits.cpus or cpus"},
    ComposeKey{"cpu_percent", ignored, "use deploy.resources.limits.cpus or cpus"},
    ComposeKey{"cpu_shares", ignored, "use deploy.resources.limits.cpus or cpus"},
    ComposeKey{"cpu_period", ignored, "use deploy.resources.limits.cpus or cpus"},
    ComposeKey{"cpu_quota", ignored, "use deploy.resources.limits.cpus or cpus"},
    ComposeKey{"cpu_rt_runtime", ignored, "the engine's default applies"},
    ComposeKey{"cpu_rt_period", ignored, "the engine's default applies"},
    ComposeKey{"cpuset", ignored, "the engine's default applies"},
    ComposeKey{"blkio_config", ignored, "the engine's default applies"},
    ComposeKey{"cgroup_parent", ignored, "the engine's default applies"},
    ComposeKey{"cgroup", ignored, "the engine's default applies"},
    ComposeKey{"group_add", ignored, "the image's groups apply"},
    ComposeKey{"storage_opt", ignored, "the engine's default applies"},
    ComposeKey{"isolation", ignored, "Linux containers have one isolation"},
    ComposeKey{"annotations", ignored, "not carried into the container"},
    ComposeKey{"attach", ignored, "env-manager streams every service's logs on request"},
    ComposeKey{"develop", ignored, "file watching is a development tool of docker compose"},
    ComposeKey{"credential_spec", ignored, "Windows only"},
    ComposeKey{"device_cgroup_rules", ignored, "the engine's default applies"},
    ComposeKey{"uts", ignored, "the engine's default applies"},
    ComposeKey{"userns_mode", ignored, "the engine's default applies"},
    ComposeKey{"use_api_socket", ignored, "not carried into the container"},
    ComposeKey{"scale", refused, "env-manager runs one container per service: write one service per copy"},
    ComposeKey{"privileged", refused, "env-manager does not run privileged containers"},
    ComposeKey{"devices", refused,
               "env-manager passes no host devices but GPUs (deploy.resources.reservations.devices)"},
    ComposeKey{"pid", refused, "env-manager does not share process namespaces"},
    ComposeKey{"ipc", refused, "env-manager does not share IPC namespaces"},
    ComposeKey{"volumes_from", refused, "name the volumes in this service instead"},
    ComposeKey{"secrets", refused, "env-manager mounts no Compose secrets: use a bind mount of the file"},
    ComposeKey{"configs", refused, "env-manager mounts no Compose configs: use a bind mount of the file"},
    ComposeKey{"runtime", refused, "the engine's default runtime is used"},
    ComposeKey{"models", refused, "env-manager runs no Compose models"},
    ComposeKey{"provider", refused, "env-manager runs containers only"},
    ComposeKey{"gpus", refused, "write the GPUs under deploy.resources.reservations.devices"},
    ComposeKey{"label_file", refused, "write the labels under labels"},
    ComposeKey{"post_start", refused, "env-manager runs no lifecycle hooks"},
    ComposeKey{"pre_stop", refused, "env-manager runs no lifecycle hooks"},
};

}  // namespace

const ComposeKey* compose_key(std::string_view name) {
    for (const auto& key : kKeys) {
        if (key.name == name) return &key;
    }
    return nullptr;
}

std::vector<std::string_view> compose_key_names() {
    std::vector<std::string_view> names;
    names.reserve(kKeys.size());
    for (const auto& key : kKeys) names.push_back(key.name);
    return names;
}

}  // namespace envmgr::host::registry::compose
