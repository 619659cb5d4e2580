#include "host/config/config_error.h"

namespace envmgr::host::config {

std::string ConfigError::to_string() const {
    std::string text = source;
    if (line != 0) text.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
    text.append(": ");
    if (!key.empty()) text.append("'").append(key).append("': ");
    text.append(message);
    return text;
}

}  // namespace envmgr::host::config
