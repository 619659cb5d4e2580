// Fuzzes what a gRPC caller controls: the first byte picks one of the nine env_manager.v1
// requests, the rest is its body as it comes off the wire; a body that parses is mapped to its
// manager-operation document (or refused with a reason), and the document is serialized as the
// frontend sends it to the host. A refusal must be short whatever the input; a crash, a throw
// from the mapping or its serialization, or a sanitizer report is a bug.
#include "plugins/frontends/grpc/request_documents.h"

#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

namespace grpc_frontend = envmgr::plugins::frontends::grpc_frontend;
namespace pb = env_manager::v1;

template <class Request, class Map>
void map_one(const std::uint8_t* body, std::size_t size, Map map) {
    Request request;
    if (!request.ParseFromArray(body, static_cast<int>(size))) return;  // INVALID_ARGUMENT on the wire
    const auto document = map(request);
    if (!document.ok()) {
        // Refusals name the field and never carry the input whole.
        if (document.invalid.size() > 512) std::abort();
        return;
    }
    // dump() throws on invalid UTF-8: protobuf's parse must have refused it.
    if constexpr (requires { document.body; }) (void)document.body.dump();
}

}  // namespace

// Protobuf logs an ERROR line for each string that is not UTF-8; the daemon filters those
// (request_parse_check.cpp) and here they would only slow the fuzzer down.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    google::protobuf::SetLogHandler(nullptr);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto* body = data + 1;
    const std::size_t length = size - 1;
    const std::string tenant = "default";
    switch (data[0] % 9) {
        case 0:
            map_one<pb::StartServicesRequest>(
                body, length, [&](const auto& r) { return grpc_frontend::start_document(tenant, r); });
            break;
        case 1:
            map_one<pb::StopServicesRequest>(
                body, length, [&](const auto& r) { return grpc_frontend::stop_document(tenant, r); });
            break;
        case 2:
            map_one<pb::RestartServiceRequest>(
                body, length, [&](const auto& r) { return grpc_frontend::restart_document(tenant, r); });
            break;
        case 3:
            map_one<pb::GetServicesStatusRequest>(
                body, length, [&](const auto& r) { return grpc_frontend::status_selection(r); });
            break;
        case 4:
            map_one<pb::StreamHealthRequest>(body, length, [&](const auto& r) {
                return grpc_frontend::health_selection(r, std::chrono::seconds(10));
            });
            break;
        case 5:
            map_one<pb::GetResourceAvailabilityRequest>(
                body, length, [](const auto& r) { return grpc_frontend::resources_document(r); });
            break;
        case 6:
            map_one<pb::ExecuteTaskRequest>(
                body, length, [&](const auto& r) { return grpc_frontend::task_document(tenant, r); });
            break;
        case 7:
            map_one<pb::PullImagesRequest>(
                body, length, [&](const auto& r) { return grpc_frontend::pull_document(tenant, r); });
            break;
        default:
            map_one<pb::StreamLogsRequest>(
                body, length, [&](const auto& r) { return grpc_frontend::logs_document(tenant, r); });
            break;
    }
    return 0;
}
