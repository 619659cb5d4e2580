#include "host/config/config_value.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace envmgr::host::config {

std::string_view type_name(ValueType type) {
    switch (type) {
        case ValueType::string: return "a string";
        case ValueType::integer: return "an integer";
        case ValueType::boolean: return "a boolean";
        case ValueType::string_list: return "an array of strings";
    }
    return "a value";
}

std::optional<Value> parse_env_value(ValueType type, std::string_view text) {
    switch (type) {
        case ValueType::string: return Value(std::string(text));
        case ValueType::integer: {
            std::int64_t number = 0;
            const auto* end = text.data() + text.size();
            const auto [ptr, ec] = std::from_chars(text.data(), end, number);
            if (ec != std::errc() || ptr != end) return std::nullopt;
            return Value(number);
        }
        case ValueType::boolean: {
            std::string lower(text);
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (lower == "1" || lower == "true" || lower == "yes" || lower == "on") return Value(true);
            if (lower == "0" || lower == "false" || lower == "no" || lower == "off") return Value(false);
            return std::nullopt;
        }
        case ValueType::string_list: {
            std::vector<std::string> items;
            while (!text.empty()) {
                const auto colon = text.find(':');
                if (auto item = text.substr(0, colon); !item.empty()) items.emplace_back(item);
                text = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
            }
            return Value(std::move(items));
        }
    }
    return std::nullopt;
}

}  // namespace envmgr::host::config
