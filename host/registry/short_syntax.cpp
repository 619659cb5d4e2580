#include "host/registry/short_syntax.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

namespace envmgr::host::registry {
namespace {

std::optional<int> port_number(std::string_view text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::variant<nlohmann::json, SyntaxError> parse_port(std::string_view text) {
    const std::string original(text);
    std::string protocol = "tcp";
    if (const auto slash = text.rfind('/'); slash != std::string_view::npos) {
        protocol = std::string(text.substr(slash + 1));
        text = text.substr(0, slash);
    }
    std::string host_ip;
    if (text.starts_with('[')) {  // [IPv6]:host:container
        const auto close = text.find("]:");
        if (close == std::string_view::npos) {
            return SyntaxError{"'" + original + "': unclosed '[' in the host address"};
        }
        host_ip = std::string(text.substr(1, close - 1));
        text = text.substr(close + 2);
    }
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const auto colon = text.find(':', start);
        parts.push_back(
            text.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
        if (colon == std::string_view::npos) break;
        start = colon + 1;
    }
    if (parts.size() == 3 && host_ip.empty()) {
        host_ip = std::string(parts[0]);
        parts.erase(parts.begin());
    }
    if (parts.empty() || parts.size() > 2 || (parts.size() == 1 && !host_ip.empty())) {
        return SyntaxError{"'" + original + "': expected [host_ip:]host_port:container_port[/protocol]"};
    }
    const auto container = port_number(parts.back());
    if (!container) {
        return SyntaxError{"'" + original + "': container port '" + std::string(parts.back()) +
                           "' is not a number"};
    }
    nlohmann::json port{{"container_port", *container}, {"protocol", protocol}};
    if (parts.size() == 2) {
        const auto host = port_number(parts[0]);
        if (!host) {
            return SyntaxError{"'" + original + "': host port '" + std::string(parts[0]) +
                               "' is not a number"};
        }
        port["host_port"] = *host;
    }
    if (!host_ip.empty()) port["host_ip"] = host_ip;
    return port;
}

std::variant<nlohmann::json, SyntaxError> parse_mount(std::string_view text) {
    const std::string original(text);
    bool read_only = false;
    if (text.ends_with(":ro") || text.ends_with(":rw")) {
        read_only = text.ends_with(":ro");
        text = text.substr(0, text.size() - 3);
    }
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
        return SyntaxError{"'" + original + "': expected source:target[:ro]"};
    }
    const std::string source(text.substr(0, colon));
    const std::string target(text.substr(colon + 1));
    const bool bind = source.front() == '/' || source.front() == '.';
    return nlohmann::json{
        {"type", bind ? "bind" : "volume"}, {"source", source}, {"target", target}, {"read_only", read_only}};
}

std::variant<std::int64_t, SyntaxError> parse_memory(const nlohmann::json& value) {
    if (value.is_number_integer()) {
        if (value.get<std::int64_t>() < 0) return SyntaxError{"must be >= 0"};
        return value.get<std::int64_t>();
    }
    if (!value.is_string()) {
        return SyntaxError{R"(expected bytes as an integer or a size such as "512m" or "2GiB")"};
    }
    const std::string text = value;
    double number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || number < 0) {
        return SyntaxError{"'" + text + R"(': expected a size such as "512m" or "2GiB")"};
    }
    const std::string unit =
        lower(std::string_view(end, static_cast<std::size_t>(text.data() + text.size() - end)));
    static const std::map<std::string, double, std::less<>> multipliers{{"", 1.0},
                                                                        {"b", 1.0},
                                                                        {"k", 1024.0},
                                                                        {"kb", 1024.0},
                                                                        {"kib", 1024.0},
                                                                        {"m", 1048576.0},
                                                                        {"mb", 1048576.0},
                                                                        {"mib", 1048576.0},
                                                                        {"g", 1073741824.0},
                                                                        {"gb", 1073741824.0},
                                                                        {"gib", 1073741824.0},
                                                                        {"t", 1099511627776.0},
                                                                        {"tb", 1099511627776.0},
                                                                        {"tib", 1099511627776.0}};
    const auto multiplier = multipliers.find(unit);
    if (multiplier == multipliers.end()) {
        return SyntaxError{"'" + text + "': unknown unit '" + unit + "' (b, k, m, g, t)"};
    }
    return static_cast<std::int64_t>(std::llround(number * multiplier->second));
}

}  // namespace envmgr::host::registry
