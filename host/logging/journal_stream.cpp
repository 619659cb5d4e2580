#include "host/logging/journal_stream.h"

#include <sys/stat.h>
#include <unistd.h>
#include <charconv>
#include <cstdlib>

namespace envmgr::host::logging {

namespace {

template <typename Number>
bool parse_number(std::string_view text, Number& out) {
    unsigned long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return false;
    out = static_cast<Number>(value);
    return true;
}

}  // namespace

std::optional<StreamIdentity> parse_journal_stream(std::string_view value) {
    const auto colon = value.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    StreamIdentity identity;
    if (!parse_number(value.substr(0, colon), identity.device) ||
        !parse_number(value.substr(colon + 1), identity.inode)) {
        return std::nullopt;
    }
    return identity;
}

bool stderr_is_journal() {
    const char* value = std::getenv("JOURNAL_STREAM");  // NOLINT(concurrency-mt-unsafe): at start-up
    if (value == nullptr) return false;
    const auto expected = parse_journal_stream(value);
    struct stat status {};
    if (!expected || fstat(STDERR_FILENO, &status) != 0) return false;
    return status.st_dev == expected->device && status.st_ino == expected->inode;
}

}  // namespace envmgr::host::logging
