// Judging what a TCP peer answered (pure): a probe that sends bytes and expects a reply that
// starts with `expect` (Redis: PING, +PONG) is ready only on that reply. A peer that accepts
// and closes without a word (Docker's userland proxy in front of a service not yet listening)
// is not ready.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace envmgr::plugins::probes::tcp {

struct ReplyVerdict {
    bool healthy = false;
    std::string message;
};

// nullopt while more bytes could still decide it; a verdict once they do (or the peer closed:
// eof). An empty expect is met by any reply, even none.
std::optional<ReplyVerdict> judge_reply(std::string_view received, std::string_view expect, bool eof);

}  // namespace envmgr::plugins::probes::tcp
