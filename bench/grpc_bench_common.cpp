#include "bench/grpc_bench_common.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <algorithm>
#include <cstdlib>

using namespace std::chrono_literals;

namespace grpc_bench {

bool run_quietly(const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

double mib(long kib) {
    return static_cast<double>(kib) / 1024.0;
}

std::shared_ptr<grpc::Channel> open_channel(const std::string& target, int id) {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    arguments.SetInt("envmgr.bench.connection_id", id);
    return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments);
}

void prepare(grpc::ClientContext& context) {
    context.AddMetadata(kTenantKey, kTenant);
    context.set_deadline(std::chrono::system_clock::now() + 10s);
}

Percentiles percentiles_of(std::vector<double> values) {
    if (values.empty()) return {};
    std::sort(values.begin(), values.end());
    const auto at = [&values](double fraction) {
        const auto position = static_cast<std::size_t>(fraction * static_cast<double>(values.size()));
        return values[std::min(position, values.size() - 1)];
    };
    return {at(0.50), at(0.99), values.back()};
}

}  // namespace grpc_bench
