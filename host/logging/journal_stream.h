// Whether standard error is the systemd journal: systemd sets JOURNAL_STREAM to "DEV:INODE" of
// the stream it connected, and a child that redirected stderr elsewhere inherits the variable,
// so the descriptor itself is compared, not just the variable's presence.
#pragma once

#include <sys/types.h>
#include <optional>
#include <string_view>

namespace envmgr::host::logging {

struct StreamIdentity {
    dev_t device = 0;
    ino_t inode = 0;
};

// "DEV:INODE" as systemd writes it (decimal); nullopt when malformed.
std::optional<StreamIdentity> parse_journal_stream(std::string_view value);
[[nodiscard]] bool stderr_is_journal();

}  // namespace envmgr::host::logging
