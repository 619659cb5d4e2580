#include "engine_mapping.h"

#include <array>
#include <cmath>
#include <ctime>

namespace envmgr::docker {
namespace {

std::string port_key(const sdk::PortMapping& port) {
    return std::to_string(port.container_port) + "/" + port.protocol;
}

nlohmann::json mount_body(const sdk::Mount& mount) {
    nlohmann::json body{{"Type", mount.type}, {"Target", mount.target}, {"ReadOnly", mount.read_only}};
    if (mount.type != "tmpfs") body["Source"] = mount.source;
    return body;
}

std::string strip_slash(std::string name) {
    if (!name.empty() && name.front() == '/') name.erase(0, 1);
    return name;
}

std::int64_t int_or_zero(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

}  // namespace

const nlohmann::json& object_at(const nlohmann::json& obj, const char* key) {
    static const nlohmann::json empty = nlohmann::json::object();
    if (!obj.is_object()) return empty;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_object() ? *it : empty;
}

const nlohmann::json& list_at(const nlohmann::json& obj, const char* key) {
    static const nlohmann::json empty = nlohmann::json::array();
    if (!obj.is_object()) return empty;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_array() ? *it : empty;
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
    if (spec.gpu.count != 0) {
        host["DeviceRequests"] = nlohmann::json::array({{{"Driver", spec.gpu.driver},
                                                         {"Count", spec.gpu.count},
                                                         {"Capabilities", {spec.gpu.capabilities}}}});
    }
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
    return {{"id", entry.value("Id", "")},
            {"name", names.empty() ? std::string() : strip_slash(names[0].get<std::string>())},
            {"image", entry.value("Image", "")},
            {"state", entry.value("State", "")},
            {"status", entry.value("Status", "")},
            {"created", int_or_zero(entry, "Created")},
            {"labels", object_at(entry, "Labels")}};
}

const JsonSelection& list_entry_selection() {
    static const JsonSelection selection{{"Id", {}},     {"Names", {}},   {"Image", {}}, {"State", {}},
                                         {"Status", {}}, {"Created", {}}, {"Labels", {}}};
    return selection;
}

std::string label_filters(const std::map<std::string, std::string>& labels, const std::string& type) {
    nlohmann::json filters = nlohmann::json::object();
    for (const auto& [key, value] : labels) {
        filters["label"].push_back(value.empty() ? key : key + "=" + value);
    }
    if (!type.empty()) filters["type"] = {type};
    return filters.dump();
}

sdk::ResourceUsage usage_from_stats(const nlohmann::json& stats) {
    sdk::ResourceUsage usage;
    const auto cpu = object_at(stats, "cpu_stats");
    const auto pre = object_at(stats, "precpu_stats");
    const auto total = [](const nlohmann::json& s) {
        return static_cast<double>(int_or_zero(object_at(s, "cpu_usage"), "total_usage"));
    };
    const double cpu_delta = total(cpu) - total(pre);
    const double system_delta = static_cast<double>(int_or_zero(cpu, "system_cpu_usage")) -
                                static_cast<double>(int_or_zero(pre, "system_cpu_usage"));
    double online = static_cast<double>(int_or_zero(cpu, "online_cpus"));
    if (online == 0) {
        const auto percpu = object_at(cpu, "cpu_usage").value("percpu_usage", nlohmann::json::array());
        online = static_cast<double>(percpu.size());
    }
    if (cpu_delta > 0 && system_delta > 0) usage.cpu_percent = cpu_delta / system_delta * online * 100.0;

    const auto memory = object_at(stats, "memory_stats");
    const auto memory_detail = object_at(memory, "stats");
    // The docker CLI subtracts the inactive page cache: total_inactive_file on cgroup v1,
    // inactive_file on v2.
    std::int64_t cache = int_or_zero(memory_detail, "total_inactive_file");
    if (cache == 0) cache = int_or_zero(memory_detail, "inactive_file");
    const std::int64_t used = int_or_zero(memory, "usage");
    usage.memory_bytes = used > cache ? used - cache : used;

    for (const auto& [name, net] : object_at(stats, "networks").items()) {
        usage.network_rx_bytes += int_or_zero(net, "rx_bytes");
        usage.network_tx_bytes += int_or_zero(net, "tx_bytes");
    }
    return usage;
}

const JsonSelection& stats_selection() {
    static const JsonSelection selection{
        {"cpu_stats", {{"cpu_usage", {}}, {"system_cpu_usage", {}}, {"online_cpus", {}}}},
        {"precpu_stats", {{"cpu_usage", {}}, {"system_cpu_usage", {}}, {"online_cpus", {}}}},
        {"memory_stats", {{"usage", {}}, {"stats", {{"total_inactive_file", {}}, {"inactive_file", {}}}}}},
        {"networks", {}},
    };
    return selection;
}

std::int64_t unix_seconds(std::string_view text) {
    if (text.size() < 19 || text.starts_with("0001-")) return 0;
    std::tm tm{};
    int fields = std::sscanf(std::string(text.substr(0, 19)).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year,
                             &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
    if (fields != 6) return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    std::int64_t seconds = timegm(&tm);
    // The engine writes UTC ("Z"); honour an explicit offset all the same.
    const auto zone = text.find_first_of("Z+-", 19);
    if (zone != std::string_view::npos && text[zone] != 'Z' && text.size() >= zone + 6) {
        const int sign = text[zone] == '+' ? 1 : -1;
        const int hours = std::atoi(std::string(text.substr(zone + 1, 2)).c_str());
        const int minutes = std::atoi(std::string(text.substr(zone + 4, 2)).c_str());
        seconds -= static_cast<std::int64_t>(sign) * (hours * 3600LL + minutes * 60LL);
    }
    return seconds;
}

envmgr_status status_for_http(unsigned http_status) {
    switch (http_status) {
        case 400:
        case 401:
        case 403: return ENVMGR_STATUS_INVALID;
        case 404: return ENVMGR_STATUS_NOT_FOUND;
        case 409: return ENVMGR_STATUS_CONFLICT;
        case 501: return ENVMGR_STATUS_UNSUPPORTED;
        case 502:
        case 503:
        case 504: return ENVMGR_STATUS_UNAVAILABLE;
        default: return http_status >= 200 && http_status < 300 ? ENVMGR_STATUS_OK : ENVMGR_STATUS_INTERNAL;
    }
}

std::string engine_message(const std::string& body, unsigned http_status) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_object() && json.contains("message") && json["message"].is_string()) {
        return json["message"].get<std::string>();
    }
    std::string text = body.substr(0, 512);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return "HTTP " + std::to_string(http_status) + (text.empty() ? "" : ": " + text);
}

std::pair<std::string, std::string> split_image_reference(const std::string& reference) {
    if (const auto at = reference.find('@'); at != std::string::npos) {
        return {reference.substr(0, at), reference.substr(at + 1)};
    }
    const auto slash = reference.rfind('/');
    const auto colon = reference.rfind(':');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
        return {reference.substr(0, colon), reference.substr(colon + 1)};
    }
    return {reference, "latest"};
}

std::string registry_of(const std::string& reference) {
    const auto slash = reference.find('/');
    if (slash == std::string::npos) return "docker.io";
    std::string first = reference.substr(0, slash);
    if (first.find_first_of(".:") != std::string::npos || first == "localhost") return first;
    return "docker.io";
}

std::string url_encode(std::string_view text) {
    static constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                              '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
    std::string out;
    out.reserve(text.size() * 3);
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(hex[u >> 4U]);
            out.push_back(hex[u & 0xFU]);
        }
    }
    return out;
}

std::string base64url(std::string_view bytes) {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : bytes) {
        buffer = (buffer << 8U) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(alphabet[(buffer >> static_cast<unsigned>(bits)) & 0x3FU]);
        }
    }
    if (bits > 0) out.push_back(alphabet[(buffer << static_cast<unsigned>(6 - bits)) & 0x3FU]);
    while (out.size() % 4 != 0) out.push_back('=');
    return out;
}

}  // namespace envmgr::docker
