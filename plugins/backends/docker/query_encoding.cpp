#include "plugins/backends/docker/query_encoding.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>
#include <cstdint>

namespace envmgr::plugins::backends::docker {

std::string label_filters(const std::map<std::string, std::string>& labels, const std::string& type) {
    nlohmann::json filters = nlohmann::json::object();
    for (const auto& [key, value] : labels) {
        filters["label"].push_back(value.empty() ? key : key + "=" + value);
    }
    if (!type.empty()) filters["type"] = {type};
    return filters.dump();
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

}  // namespace envmgr::plugins::backends::docker
