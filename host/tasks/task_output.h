// A task's stdout and stderr as the caller gets them. The backend bounds the raw bytes of each
// stream (1 MiB), but its JSON turns every invalid UTF-8 byte into U+FFFD (3 bytes): binary
// output could triple, past gRPC's 4 MiB message limit with both streams full. Each stream is
// bounded again here, after that, at a character boundary.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace envmgr::host::tasks {

constexpr std::size_t kTaskOutputLimit = 1U << 20U;  // bytes of UTF-8 per stream
constexpr std::string_view kTaskOutputTruncatedMark = "\n[output truncated at 1 MiB]\n";

// result: the backend's { stdout, stderr, truncated, ... }. A stream cut (by the backend, or
// here) ends with the mark; `truncated` is true when either was.
void bound_task_output(nlohmann::json& result);

}  // namespace envmgr::host::tasks
