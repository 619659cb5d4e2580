#include "config/config_error.h"

namespace envmgr::config {

std::string ConfigError::to_string() const {
    std::string text = source;
    if (line != 0) text += ":" + std::to_string(line) + ":" + std::to_string(column);
    text += ": ";
    if (!key.empty()) text += "'" + key + "': ";
    text += message;
    return text;
}

}  // namespace envmgr::config
