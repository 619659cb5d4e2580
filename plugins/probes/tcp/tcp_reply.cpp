#include "plugins/probes/tcp/tcp_reply.h"

#include <envmgr/kit/probe/reply_text.h>

namespace envmgr::plugins::probes::tcp {

std::optional<ReplyVerdict> judge_reply(std::string_view received, std::string_view expect, bool eof) {
    using kit::probe::reply_excerpt;
    if (expect.empty()) {
        return ReplyVerdict{true, received.empty() ? "connected" : reply_excerpt(received)};
    }
    const std::size_t compared = std::min(received.size(), expect.size());
    if (received.substr(0, compared) != expect.substr(0, compared)) {
        // -LOADING, -NOAUTH, an HTML page: say what came instead.
        return ReplyVerdict{false, "unexpected reply: " + reply_excerpt(received)};
    }
    if (compared == expect.size()) return ReplyVerdict{true, reply_excerpt(received)};
    if (!eof) return std::nullopt;
    if (received.empty()) return ReplyVerdict{false, "connection closed without a reply"};
    return ReplyVerdict{false, "reply ended early: " + reply_excerpt(received)};
}

}  // namespace envmgr::plugins::probes::tcp
