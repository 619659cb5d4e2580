#include "host/registry/compose/compose_values.h"

#include "host/model/shell_words.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

namespace envmgr::host::registry::compose {
namespace {

std::string lower(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::optional<int> port_number(std::string_view text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0 || value > 65535) {
        return std::nullopt;
    }
    return value;
}

struct Range {
    int first = 0;
    int last = 0;
};

std::optional<Range> port_range(std::string_view text) {
    const auto dash = text.find('-');
    const auto first = port_number(text.substr(0, dash));
    if (!first) return std::nullopt;
    if (dash == std::string_view::npos) return Range{*first, *first};
    const auto last = port_number(text.substr(dash + 1));
    if (!last || *last < *first) return std::nullopt;
    return Range{*first, *last};
}

std::variant<PortsRead, ValueError> expand_ports(const std::string& host_ip, std::string_view host,
                                                 std::string_view container, const std::string& protocol,
                                                 const std::string& written) {
    const auto target = port_range(container);
    if (!target) return ValueError{"'" + written + "': the container port must be a number or a range A-B"};
    PortsRead read;
    std::optional<Range> published;
    if (host.empty()) {
        read.random_host_port = true;
    } else {
        published = port_range(host);
        if (!published) return ValueError{"'" + written + "': the host port must be a number or a range A-B"};
        if (published->last - published->first != target->last - target->first) {
            return ValueError{"'" + written +
                              "': a host port range must be as long as the container port range "
                              "(env-manager publishes fixed ports)"};
        }
    }
    if (protocol != "tcp" && protocol != "udp") {
        return ValueError{"'" + written + "': the protocol must be tcp or udp"};
    }
    for (int offset = 0; offset <= target->last - target->first; ++offset) {
        sdk::PortMapping port;
        port.container_port = target->first + offset;
        port.host_port = published ? published->first + offset : 0;
        port.host_ip = host_ip;
        port.protocol = protocol;
        read.ports.push_back(port);
    }
    return read;
}

std::variant<PortsRead, ValueError> short_port(const std::string& written) {
    std::string text = written;
    std::string protocol = "tcp";
    if (const auto slash = text.rfind('/'); slash != std::string::npos) {
        protocol = lower(text.substr(slash + 1));
        text.erase(slash);
    }
    std::string host_ip;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find("]:");
        if (close == std::string::npos) {
            return ValueError{"'" + written + "': an IPv6 address needs [ADDRESS]:"};
        }
        host_ip = text.substr(1, close - 1);
        text.erase(0, close + 2);
    }
    std::vector<std::string_view> parts;
    std::string_view rest = text;
    while (true) {
        const auto colon = rest.find(':');
        parts.push_back(rest.substr(0, colon));
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    if (parts.size() == 1) return expand_ports(host_ip, "", parts[0], protocol, written);
    if (parts.size() == 2) return expand_ports(host_ip, parts[0], parts[1], protocol, written);
    if (parts.size() == 3 && host_ip.empty()) {
        return expand_ports(std::string(parts[0]), parts[1], parts[2], protocol, written);
    }
    return ValueError{"'" + written + "': expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]"};
}

std::string text_of(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

std::string resolve_path(const std::string& source, const std::string& directory, const std::string& home) {
    if (source == "~" || source.starts_with("~/")) return home + source.substr(1);
    if (source.starts_with("/")) return source;
    std::string base = directory.empty() ? "." : directory;
    std::string relative = source;
    if (relative.starts_with("./")) relative.erase(0, 2);
    if (relative == ".") return base;
    return base + "/" + relative;
}

bool is_path(const std::string& source) {
    return source.starts_with("/") || source.starts_with(".") || source.starts_with("~");
}

std::variant<VolumeRead, ValueError> short_volume(const std::string& written, const std::string& directory,
                                                  const std::string& home) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto colon = written.find(':', start);
        parts.push_back(
            written.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    VolumeRead read;
    if (parts.size() == 1) {
        read.anonymous = true;
        read.mount.target = parts[0];
        return read;
    }
    if (parts.size() > 3) return ValueError{"'" + written + "': expected SOURCE:TARGET[:MODE]"};
    read.mount.type = is_path(parts[0]) ? "bind" : "volume";
    read.mount.source = read.mount.type == "bind" ? resolve_path(parts[0], directory, home) : parts[0];
    read.mount.target = parts[1];
    if (parts.size() == 3) {
        std::size_t from = 0;
        const std::string& modes = parts[2];
        while (from <= modes.size()) {
            const auto comma = modes.find(',', from);
            const std::string mode =
                modes.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
            if (mode == "ro") {
                read.mount.read_only = true;
            } else if (mode != "rw" && !mode.empty()) {
                read.ignored.push_back(mode);
            }
            if (comma == std::string::npos) break;
            from = comma + 1;
        }
    }
    return read;
}

std::variant<VolumeRead, ValueError> long_volume(const nlohmann::json& value, const std::string& directory,
                                                 const std::string& home) {
    VolumeRead read;
    const std::string type = value.value("type", "volume");
    if (type != "volume" && type != "bind" && type != "tmpfs") {
        return ValueError{"type '" + type + "': env-manager mounts volume, bind and tmpfs"};
    }
    read.mount.type = type;
    read.mount.target = value.value("target", "");
    const std::string source = value.contains("source") ? text_of(value["source"]) : "";
    if (type == "bind") read.mount.source = resolve_path(source, directory, home);
    if (type == "volume") read.mount.source = source;
    read.anonymous = type == "volume" && source.empty();
    if (value.contains("read_only") && value["read_only"].is_boolean()) {
        read.mount.read_only = value["read_only"];
    }
    if (type == "tmpfs" && value.contains("tmpfs") && value["tmpfs"].contains("size")) {
        const auto size = byte_size(value["tmpfs"]["size"]);
        if (const auto* error = std::get_if<ValueError>(&size)) return *error;
        read.mount.tmpfs_size_bytes = std::get<std::int64_t>(size);
    }
    for (const char* option : {"bind", "volume", "consistency"}) {
        if (value.contains(option)) read.ignored.emplace_back(option);
    }
    return read;
}

}  // namespace

std::variant<std::int64_t, ValueError> duration_ms(const nlohmann::json& value) {
    if (value.is_number()) return static_cast<std::int64_t>(std::llround(value.get<double>() * 1000.0));
    if (!value.is_string()) return ValueError{"expected a duration such as 10s or 1m30s"};
    const std::string text = value.get<std::string>();
    double total_ms = 0;
    std::size_t pos = 0;
    if (text.empty()) return ValueError{"expected a duration such as 10s or 1m30s"};
    while (pos < text.size()) {
        const std::size_t number_start = pos;
        while (pos < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[pos])) != 0 || text[pos] == '.')) {
            ++pos;
        }
        const std::size_t unit_start = pos;
        while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos])) != 0) ++pos;
        const std::string number = text.substr(number_start, unit_start - number_start);
        const std::string unit = text.substr(unit_start, pos - unit_start);
        static const std::map<std::string, double> units{{"ns", 1e-6}, {"us", 1e-3}, {"ms", 1.0},
                                                         {"s", 1e3},   {"m", 6e4},   {"h", 3.6e6}};
        const auto scale = units.find(unit);
        if (number.empty() || scale == units.end()) {
            return ValueError{"'" + text + "' is not a duration (units: h, m, s, ms, us, ns; e.g. 1m30s)"};
        }
        total_ms += std::strtod(number.c_str(), nullptr) * scale->second;
    }
    if (!std::isfinite(total_ms) || total_ms > 1e15) {
        return ValueError{"'" + text + "' is too long a duration"};
    }
    return static_cast<std::int64_t>(std::llround(total_ms));
}

std::variant<std::int64_t, ValueError> byte_size(const nlohmann::json& value) {
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0) return value.get<std::int64_t>();
    if (!value.is_string()) return ValueError{"expected a size such as 512m or 1g"};
    const std::string text = lower(value.get<std::string>());
    std::size_t digits = 0;
    while (digits < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[digits])) != 0 || text[digits] == '.')) {
        ++digits;
    }
    static const std::map<std::string, double> units{
        {"", 1},          {"b", 1},          {"k", 1024.0},       {"kb", 1024.0},
        {"m", 1048576.0}, {"mb", 1048576.0}, {"g", 1073741824.0}, {"gb", 1073741824.0}};
    const auto scale = units.find(text.substr(digits));
    if (digits == 0 || scale == units.end()) {
        return ValueError{"'" + value.get<std::string>() + "' is not a size (units: b, k, m, g; e.g. 512m)"};
    }
    const double bytes = std::strtod(text.substr(0, digits).c_str(), nullptr) * scale->second;
    if (!std::isfinite(bytes) || bytes > 9e18) {
        return ValueError{"'" + value.get<std::string>() + "' is too large"};
    }
    return static_cast<std::int64_t>(std::llround(bytes));
}

std::variant<double, ValueError> decimal(const nlohmann::json& value) {
    if (value.is_number()) return value.get<double>();
    if (value.is_string()) {
        const std::string text = value.get<std::string>();
        char* end = nullptr;
        const double number = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(number)) return number;
    }
    return ValueError{"expected a number"};
}

std::variant<PortsRead, ValueError> ports_of(const nlohmann::json& value) {
    if (value.is_string() || value.is_number_integer()) return short_port(text_of(value));
    if (!value.is_object()) return ValueError{"expected \"HOST:CONTAINER\" or a mapping with target"};
    if (!value.contains("target")) return ValueError{"target: required"};
    const std::string published = value.contains("published") ? text_of(value["published"]) : "";
    const std::string protocol = lower(value.value("protocol", std::string("tcp")));
    return expand_ports(value.value("host_ip", ""), published, text_of(value["target"]), protocol,
                        value.dump());
}

std::variant<VolumeRead, ValueError> volume_of(const nlohmann::json& value, const std::string& directory,
                                               const std::string& home) {
    if (value.is_string()) return short_volume(value.get<std::string>(), directory, home);
    if (value.is_object()) return long_volume(value, directory, home);
    return ValueError{"expected \"SOURCE:TARGET[:MODE]\" or a mapping with type, source and target"};
}

std::variant<sdk::Mount, ValueError> tmpfs_of(const nlohmann::json& value) {
    if (!value.is_string()) return ValueError{"expected a path, optionally with :size=..."};
    const std::string text = value.get<std::string>();
    sdk::Mount mount;
    mount.type = "tmpfs";
    const auto colon = text.find(':');
    mount.target = text.substr(0, colon);
    if (colon == std::string::npos) return mount;
    const std::string options = text.substr(colon + 1);
    std::size_t from = 0;
    while (from <= options.size()) {
        const auto comma = options.find(',', from);
        const std::string option =
            options.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
        if (option.starts_with("size=")) {
            const auto size = byte_size(nlohmann::json(option.substr(5)));
            if (const auto* error = std::get_if<ValueError>(&size)) return *error;
            mount.tmpfs_size_bytes = std::get<std::int64_t>(size);
        }
        if (comma == std::string::npos) break;
        from = comma + 1;
    }
    return mount;
}

std::variant<std::vector<std::string>, ValueError> words_of(const nlohmann::json& value) {
    if (value.is_null()) return std::vector<std::string>{};
    if (value.is_string()) {
        auto split = model::split_shell_words(value.get<std::string>());
        if (!split.error.empty()) return ValueError{split.error};
        return std::move(split.words);
    }
    if (!value.is_array()) return ValueError{"expected a string or a list of strings"};
    std::vector<std::string> words;
    for (const auto& word : value) {
        if (word.is_object() || word.is_array() || word.is_null()) {
            return ValueError{"expected a list of strings"};
        }
        words.push_back(text_of(word));
    }
    return words;
}

}  // namespace envmgr::host::registry::compose
