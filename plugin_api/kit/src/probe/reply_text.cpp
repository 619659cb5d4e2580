#include <envmgr/kit/probe/reply_text.h>

namespace envmgr::kit::probe {

std::string reply_excerpt(std::string_view bytes, std::size_t max) {
    const auto end = bytes.find_first_of("\r\n");
    const std::string_view line = bytes.substr(0, end);
    std::string out;
    out.reserve(std::min(line.size(), max) + 3);
    for (const char c : line.substr(0, max)) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(u < 0x20 || u == 0x7f ? '.' : c);
    }
    if (line.size() > max) out += "...";
    return out;
}

}  // namespace envmgr::kit::probe
