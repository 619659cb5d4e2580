#include "plugins/backends/docker/container_mapping.h"

#include "plugins/backends/docker/engine_time.h"
#include "plugins/backends/docker/json_access.h"

#include <envmgr/sdk/status.h>

#include <cmath>
#include <cstdlib>

namespace envmgr::plugins::backends::docker {
namespace {

std::string port_key(const sdk::PortMapping& port) {
    return std::to_string(port.container_port) + "/" + port.protocol;
}

nlohmann::json mount_body(const sdk::Mount& mount) {
    nlohmann::json body{{"Type", mount.type}, {"Target", mount.target}, {"ReadOnly", mount.read_only}};
    if (mount.type != "tmpfs") body["Source"] = mount.source;
    if (mount.type == "tmpfs" && mount.tmpfs_size_bytes > 0) {
        body["TmpfsOptions"] = {{"SizeBytes", mount.tmpfs_size_bytes}};
    }
    return body;
}

// User, working folder, stop signal, capabilities and the rest of ProcessOptions; empty ones
// are left out so that the image's and the engine's defaults hold.
void add_process_options(const sdk::ProcessOptions& process, nlohmann::json& body, nlohmann::json& host) {
    if (!process.user.empty()) body["User"] = process.user;
    if (!process.working_dir.empty()) body["WorkingDir"] = process.working_dir;
    if (!process.stop_signal.empty()) body["StopSignal"] = process.stop_signal;
    if (process.read_only) host["ReadonlyRootfs"] = true;
    if (!process.cap_add.empty()) host["CapAdd"] = process.cap_add;
    if (!process.cap_drop.empty()) host["CapDrop"] = process.cap_drop;
    if (!process.security_opt.empty()) host["SecurityOpt"] = process.security_opt;
    if (!process.extra_hosts.empty()) host["ExtraHosts"] = process.extra_hosts;
}

nlohmann::json device_requests(const sdk::GpuRequest& gpu) {
    nlohmann::json request{{"Driver", gpu.driver}, {"Capabilities", {gpu.capabilities}}};
    if (gpu.device_ids.empty()) {
        request["Count"] = gpu.count;
    } else {
        request["DeviceIDs"] = gpu.device_ids;
    }
    return nlohmann::json::array({request});
}

std::string strip_slash(std::string name) {
    if (!name.empty() && name.front() == '/') name.erase(0, 1);
    return name;
}

}  // namespace

sdk::ContainerSpec container_spec_of(const nlohmann::json& request) {
    if (!request.contains("spec") || !request["spec"].is_object()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "spec: required (a container spec object)");
    }
    sdk::ContainerSpec spec;
    try {
        spec = request["spec"].get<sdk::ContainerSpec>();
    } catch (const nlohmann::json::exception& e) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, std::string("spec: ") + e.what());
    }
    if (const auto errors = sdk::validate(spec); !errors.empty()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "spec." + errors.front());
    }
    return spec;
}

nlohmann::json container_create_body(const sdk::ContainerSpec& spec) {
    nlohmann::json body{{"Image", spec.image},
                        {"Tty", spec.tty},
                        {"Labels", spec.labels},
                        {"StopTimeout", spec.stop_timeout_seconds}};
    if (!spec.command.empty()) body["Cmd"] = spec.command;
    if (!spec.entrypoint.empty()) body["Entrypoint"] = spec.entrypoint;
    auto env = nlohmann::json::array();
    for (const auto& [key, value] : spec.env) env.push_back(key + "=" + value);
    body["Env"] = env;

    nlohmann::json host{
        {"Init", spec.init},
        {"RestartPolicy", {{"Name", spec.restart_policy}, {"MaximumRetryCount", spec.restart_max_retries}}}};
    auto exposed = nlohmann::json::object();
    auto bindings = nlohmann::json::object();
    for (const auto& port : spec.ports) {
        exposed[port_key(port)] = nlohmann::json::object();
        if (port.host_port != 0) {
            bindings[port_key(port)].push_back(
                {{"HostIp", port.host_ip}, {"HostPort", std::to_string(port.host_port)}});
        }
    }
    body["ExposedPorts"] = exposed;
    host["PortBindings"] = bindings;
    auto mounts = nlohmann::json::array();
    for (const auto& mount : spec.mounts) mounts.push_back(mount_body(mount));
    host["Mounts"] = mounts;
    if (spec.resources.cpus > 0) host["NanoCpus"] = std::llround(spec.resources.cpus * 1e9);
    if (spec.resources.memory_bytes > 0) host["Memory"] = spec.resources.memory_bytes;
    if (spec.resources.memory_reservation_bytes > 0) {
        host["MemoryReservation"] = spec.resources.memory_reservation_bytes;
    }
    if (spec.gpu.count != 0 || !spec.gpu.device_ids.empty()) {
        host["DeviceRequests"] = device_requests(spec.gpu);
    }
    add_process_options(spec.process, body, host);
    if (!spec.network.empty()) {
        host["NetworkMode"] = spec.network;
        body["NetworkingConfig"]["EndpointsConfig"][spec.network] = {{"Aliases", spec.network_aliases}};
    }
    body["HostConfig"] = host;
    return body;
}

nlohmann::json container_from_inspect(const nlohmann::json& inspect) {
    const auto& state = object_at(inspect, "State");
    const auto& config = object_at(inspect, "Config");
    const auto& settings = object_at(inspect, "NetworkSettings");
    nlohmann::json networks = nlohmann::json::object();
    std::string ip = settings.value("IPAddress", "");
    for (const auto& [name, net] : object_at(settings, "Networks").items()) {
        const std::string net_ip = net.value("IPAddress", "");
        networks[name] = {{"ip_address", net_ip}, {"aliases", list_at(net, "Aliases")}};
        if (ip.empty()) ip = net_ip;
    }
    auto ports = nlohmann::json::array();
    for (const auto& [key, bound] : object_at(settings, "Ports").items()) {
        const auto slash = key.find('/');
        const int container_port = std::atoi(key.substr(0, slash).c_str());
        const std::string protocol = slash == std::string::npos ? "tcp" : key.substr(slash + 1);
        if (!bound.is_array()) {
            ports.push_back({{"container_port", container_port},
                             {"protocol", protocol},
                             {"host_port", 0},
                             {"host_ip", ""}});
            continue;
        }
        for (const auto& binding : bound) {
            ports.push_back({{"container_port", container_port},
                             {"protocol", protocol},
                             {"host_ip", binding.value("HostIp", "")},
                             {"host_port", std::atoi(binding.value("HostPort", "0").c_str())}});
        }
    }
    const auto health = object_at(state, "Health");
    return {{"id", inspect.value("Id", "")},
            {"name", strip_slash(inspect.value("Name", ""))},
            {"image", config.value("Image", "")},
            {"image_id", inspect.value("Image", "")},
            {"state", state.value("Status", "")},
            {"running", state.value("Running", false)},
            {"exit_code", int_or_zero(state, "ExitCode")},
            {"oom_killed", state.value("OOMKilled", false)},
            {"pid", int_or_zero(state, "Pid")},
            {"started_at", unix_seconds(state.value("StartedAt", ""))},
            {"started_at_ns", unix_nanos(state.value("StartedAt", ""))},
            {"finished_at", unix_seconds(state.value("FinishedAt", ""))},
            {"restart_count", int_or_zero(inspect, "RestartCount")},
            {"labels", object_at(config, "Labels")},
            {"tty", config.value("Tty", false)},
            {"ip_address", ip},
            {"networks", networks},
            {"ports", ports},
            {"health", health.value("Status", "")}};
}

const JsonSelection& inspect_selection() {
    static const JsonSelection selection{
        {"Id", {}},
        {"Name", {}},
        {"Image", {}},
        {"RestartCount", {}},
        {"State",
         {{"Status", {}},
          {"Running", {}},
          {"ExitCode", {}},
          {"OOMKilled", {}},
          {"Pid", {}},
          {"StartedAt", {}},
          {"FinishedAt", {}},
          {"Health", {{"Status", {}}}}}},
        {"Config", {{"Image", {}}, {"Labels", {}}, {"Tty", {}}}},
        {"NetworkSettings", {{"IPAddress", {}}, {"Networks", {}}, {"Ports", {}}}},
    };
    return selection;
}

nlohmann::json container_from_list_entry(const nlohmann::json& entry) {
    const auto names = list_at(entry, "Names");
    // Published ports only (the engine lists exposed ones too, without a PublicPort).
    auto ports = nlohmann::json::array();
    for (const auto& port : list_at(entry, "Ports")) {
        if (!port.is_object() || int_or_zero(port, "PublicPort") == 0) continue;
        ports.push_back({{"container_port", int_or_zero(port, "PrivatePort")},
                         {"protocol", port.value("Type", "tcp")},
                         {"host_ip", port.value("IP", "")},
                         {"host_port", int_or_zero(port, "PublicPort")}});
    }
    return {{"id", entry.value("Id", "")},
            {"name", names.empty() ? std::string() : strip_slash(names[0].get<std::string>())},
            {"image", entry.value("Image", "")},
            {"state", entry.value("State", "")},
            {"status", entry.value("Status", "")},
            {"created", int_or_zero(entry, "Created")},
            {"labels", object_at(entry, "Labels")},
            {"ports", ports}};
}

const JsonSelection& list_entry_selection() {
    static const JsonSelection selection{{"Id", {}},     {"Names", {}},   {"Image", {}},  {"State", {}},
                                         {"Status", {}}, {"Created", {}}, {"Labels", {}}, {"Ports", {}}};
    return selection;
}

}  // namespace envmgr::plugins::backends::docker
