#include "host/tasks/task_output.h"

#include <string>

namespace envmgr::host::tasks {

void bound_task_output(nlohmann::json& result) {
    const auto flag = result.find("truncated");
    const bool cut_by_backend = flag != result.end() && flag->is_boolean() && flag->get<bool>();
    bool truncated = cut_by_backend;
    for (const char* stream : {"stdout", "stderr"}) {
        const auto found = result.find(stream);
        if (found == result.end() || !found->is_string()) continue;
        auto& text = found->get_ref<std::string&>();
        // The backend flags truncation for both streams at once: the one that reached the bound is it.
        bool cut = cut_by_backend && text.size() >= kTaskOutputLimit;
        if (text.size() > kTaskOutputLimit) {
            std::size_t end = kTaskOutputLimit;
            // Back to the first byte of a character: continuation bytes are 10xxxxxx.
            while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
            text.resize(end);
            cut = true;
        }
        if (cut) {
            text += kTaskOutputTruncatedMark;
            truncated = true;
        }
    }
    if (result.contains("truncated") || truncated) result["truncated"] = truncated;
}

}  // namespace envmgr::host::tasks
