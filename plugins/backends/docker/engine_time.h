// The engine's timestamps.
#pragma once

#include <cstdint>
#include <string_view>

namespace envmgr::plugins::backends::docker {

// Unix seconds from the engine's RFC 3339 timestamps; 0 for the zero time or garbage.
std::int64_t unix_seconds(std::string_view rfc3339);
// The same in nanoseconds, with the fraction the engine writes (up to 9 digits): an event's
// time_nano can then be ordered against a container's start.
std::int64_t unix_nanos(std::string_view rfc3339);

}  // namespace envmgr::plugins::backends::docker
