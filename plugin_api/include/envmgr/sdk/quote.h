// Input a caller sent, put into a message or a log line: quoted, control characters escaped and
// cut to a short prefix with its length, so that no caller can fill an answer (gRPC's status
// trailer) or the daemon's log with its own input.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace envmgr::sdk {

inline constexpr std::size_t kQuotedMax = 64;  // bytes of input shown

// redis, or aaaa... (10000 bytes) when longer than max: control characters escaped, never a
// UTF-8 character cut in two.
inline std::string cut_input(std::string_view text, std::size_t max = kQuotedMax) {
    std::size_t cut = text.size();
    if (cut > max) {
        cut = max;
        // Back to the first byte of the character the cut would split (10xxxxxx continues one).
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
    }
    std::string out;
    for (std::size_t i = 0; i < cut; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7F) {
            char escaped[5];
            std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (cut < text.size()) out.append("... (").append(std::to_string(text.size())).append(" bytes)");
    return out;
}

// The same in single quotes: 'redis', 'aaaa...' (10000 bytes).
inline std::string quote_input(std::string_view text, std::size_t max = kQuotedMax) {
    const std::string inner = cut_input(text, max);
    const std::size_t more = text.size() <= max ? std::string::npos : inner.rfind("... (");
    std::string out;
    out.reserve(inner.size() + 2);
    out.push_back('\'');
    out.append(inner, 0, more);
    out.push_back('\'');
    if (more != std::string::npos) out.append(inner, more);
    return out;
}

}  // namespace envmgr::sdk
