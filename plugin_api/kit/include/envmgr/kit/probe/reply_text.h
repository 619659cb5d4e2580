// What a probe says about bytes a peer sent: a short, printable excerpt for the result message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace envmgr::kit::probe {

// The first line of bytes, at most max characters, with control bytes shown as '.', and "..."
// when cut.
std::string reply_excerpt(std::string_view bytes, std::size_t max = 120);

}  // namespace envmgr::kit::probe
