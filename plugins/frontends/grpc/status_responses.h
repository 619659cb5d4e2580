// GetServicesStatus answered from bytes: the serialized ServicesStatusResponse last made for each
// tenant and selection, kept with the host's status document it was made from. While the host
// answers with the same document (it keeps one per set of versions it was built from, so an
// unchanged status is the same text), the call is answered with the same bytes: no parse, no
// conversion, no serialization. A different document, however small the change, is converted
// anew, so an answer is never older than the document the host gave for it.
#pragma once

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>
#include <grpcpp/support/status.h>

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace envmgr::plugins::frontends::grpc_frontend {

class StatusResponses {
public:
    // Selections kept at most; past it the oldest ones give way (clients choose them freely).
    static constexpr std::size_t kMaxSelections = 256;

    struct Answer {
        grpc::Status status;  // NOT_FOUND naming a selected service the tenant does not have
        grpc::ByteBuffer bytes;
    };

    // The answer to a call of `tenant` selecting `names` (all when empty), given the host's
    // status document. Thread-safe.
    Answer answer(const std::string& tenant, const std::vector<std::string>& names,
                  const std::string& document);

    // How many answers were made anew rather than served from bytes (for the tests).
    [[nodiscard]] std::size_t conversions() const;

private:
    struct Kept {
        std::string document;
        grpc::Status status;
        grpc::Slice bytes;
        std::size_t used = 0;  // when last served, on the counter below
    };
    static Answer make(const std::string& tenant, const std::vector<std::string>& names,
                       const std::string& document, Kept& kept);
    void make_room();

    mutable std::mutex mutex_;
    std::map<std::string, Kept> kept_;  // by tenant and selection
    std::size_t served_ = 0;
    std::size_t conversions_ = 0;
};

}  // namespace envmgr::plugins::frontends::grpc_frontend
