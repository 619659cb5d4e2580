// Reads a size-prefixed ABI struct written by a peer built against another ABI minor:
// the smaller of the two sizes is copied and the rest stays zero.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace envmgr::sdk {

template <typename Struct>
Struct read_sized_struct(const void* source) noexcept {
    static_assert(std::is_trivially_copyable_v<Struct>, "ABI structs are plain C structs");
    Struct copy{};
    if (source == nullptr) return copy;
    std::uint32_t peer_size = 0;
    std::memcpy(&peer_size, source, sizeof peer_size);
    const std::size_t n = peer_size < sizeof(Struct) ? peer_size : sizeof(Struct);
    std::memcpy(&copy, source, n);
    copy.struct_size = peer_size;  // keep what the peer declared, for size checks
    return copy;
}

}  // namespace envmgr::sdk
