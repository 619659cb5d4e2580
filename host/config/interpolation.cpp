#include "host/config/interpolation.h"

#include <cctype>

namespace envmgr::host::config {
namespace {

bool is_name_char(char c, bool first) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalpha(u) != 0 || c == '_' || (!first && std::isdigit(u) != 0);
}

}  // namespace

std::variant<std::string, InterpolationError> interpolate(std::string_view text,
                                                          const Environment& environment) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '$') {
            out += text[i];
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == '$') {
            out += '$';
            ++i;
            continue;
        }
        if (i + 1 >= text.size() || text[i + 1] != '{') {
            out += '$';  // a lone '$' is kept, as compose does with "$5"
            continue;
        }
        const std::size_t close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
            return InterpolationError{"unterminated '${' (write '$$' for a literal '$')"};
        }
        const std::string_view body = text.substr(i + 2, close - i - 2);
        const std::size_t separator = body.find(":-");
        const std::string_view name = body.substr(0, separator);
        bool valid = !name.empty();
        for (std::size_t k = 0; k < name.size() && valid; ++k) valid = is_name_char(name[k], k == 0);
        if (!valid) {
            return InterpolationError{"'${" + std::string(body) +
                                      "}' is not a variable reference: use ${NAME} or ${NAME:-default}"};
        }
        if (const auto value = environment(name)) {
            out += *value;
        } else if (separator != std::string_view::npos) {
            out += body.substr(separator + 2);
        } else {
            return InterpolationError{"${" + std::string(name) + "} is not set and has no default (write ${" +
                                      std::string(name) + ":-value} to give one)"};
        }
        i = close;
    }
    return out;
}

}  // namespace envmgr::host::config
