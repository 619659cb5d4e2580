// Status codes and the exception the SDK turns into a status at the ABI boundary.
#pragma once

#include <envmgr/abi.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace envmgr::sdk {

constexpr std::string_view status_name(envmgr_status status) noexcept {
    switch (status) {
        case ENVMGR_STATUS_OK: return "ok";
        case ENVMGR_STATUS_NOT_FOUND: return "not_found";
        case ENVMGR_STATUS_CONFLICT: return "conflict";
        case ENVMGR_STATUS_UNAVAILABLE: return "unavailable";
        case ENVMGR_STATUS_INVALID: return "invalid";
        case ENVMGR_STATUS_INTERNAL: return "internal";
        case ENVMGR_STATUS_CANCELLED: return "cancelled";
        case ENVMGR_STATUS_TIMEOUT: return "timeout";
        case ENVMGR_STATUS_UNSUPPORTED: return "unsupported";
    }
    return "unknown";
}

// Thrown inside plugin or host code; the SDK catches it at the boundary and reports
// code() and what() through the ABI instead.
class Error : public std::runtime_error {
public:
    Error(envmgr_status code, const std::string& message) : std::runtime_error(message), code_(code) {}
    [[nodiscard]] envmgr_status code() const noexcept { return code_; }

private:
    envmgr_status code_;
};

// The outcome of an asynchronous operation as the caller sees it.
struct Result {
    envmgr_status status = ENVMGR_STATUS_OK;
    std::string payload;  // result JSON when ok(), error message otherwise

    [[nodiscard]] bool ok() const noexcept { return status == ENVMGR_STATUS_OK; }
};

namespace detail {
// Copies message into a host-owned C buffer, always NUL-terminated, truncated to fit.
inline void write_error(char* buffer, size_t size, std::string_view message) noexcept {
    if (buffer == nullptr || size == 0) return;
    const size_t n = message.size() < size - 1 ? message.size() : size - 1;
    message.copy(buffer, n);
    buffer[n] = '\0';
}
}  // namespace detail

}  // namespace envmgr::sdk
