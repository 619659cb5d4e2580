// Which backend plugin runs the containers. One backend is created; the others that were found
// stay idle (loaded and checked, never created), so a second backend in the plugin folder costs
// neither a thread nor a connection.
#pragma once

#include "host/loader/plugin_manager.h"

#include <optional>
#include <string>
#include <vector>

namespace envmgr::host::loader {

struct BackendChoice {
    std::optional<std::size_t> record;  // the chosen backend's record; none when none was found
    std::string error;                  // set when `chosen` names no backend that was found
};

// chosen: the `plugins.backend` setting; "" picks backend.docker when it was found, otherwise
// the first backend found. A named backend that was refused is an error with the refusal; one
// that was not found (or is not a backend) is an error that lists the backends that were.
BackendChoice choose_backend(const std::vector<PluginRecord>& records, const std::string& chosen);

}  // namespace envmgr::host::loader
