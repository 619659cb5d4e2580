// One manager call as the operations see it (manager_operations.h): its completion and the
// work that ends with it; and the typed reading of request fields. Shared by the files that
// implement the operations.
#pragma once

#include "host/manager/manager_operations.h"

#include <envmgr/sdk/completion.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace envmgr::host::manager {

struct ManagerOperations::Call {
    envmgr_operation_id id = 0;
    sdk::Completion done;
    // Work that ends with the call (a followed log stream): cancelled when the call is.
    std::mutex mutex;
    std::function<void()> cancel_work;
    bool cancelled = false;

    // Sets the work's cancel; runs it at once when the call was cancelled already.
    void on_cancel(std::function<void()> cancel) {
        {
            const std::lock_guard lock(mutex);
            if (!cancelled) {
                cancel_work = std::move(cancel);
                return;
            }
        }
        cancel();
    }
    void cancel() {
        std::function<void()> work;
        {
            const std::lock_guard lock(mutex);
            cancelled = true;
            work = std::move(cancel_work);
        }
        if (work) work();
    }
};

// Names longer than any configured one are refused before anything echoes them: the problem
// naming the field, or "".
std::string name_problem(const std::string& tenant, const std::vector<std::string>& services);

// A request field, checked for its type; the error names it.
template <typename T>
inline std::optional<T> field(const nlohmann::json& request, const char* name, T fallback,
                              std::string& error) {
    if (!request.contains(name)) return fallback;
    try {
        return request.at(name).get<T>();
    } catch (const nlohmann::json::exception&) {
        error = std::string(name) + ": wrong type";
        return std::nullopt;
    }
}

}  // namespace envmgr::host::manager
