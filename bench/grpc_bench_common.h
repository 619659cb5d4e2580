// What the parts of grpc_bench share: the bench tenant, connections to the daemon, and the
// percentiles of a run.
#pragma once

#include "env_manager/v1/env_manager.grpc.pb.h"

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/impl/rpc_method.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace grpc_bench {

namespace pb = env_manager::v1;
using Clock = std::chrono::steady_clock;
using Millis = std::chrono::duration<double, std::milli>;

inline constexpr const char* kTenant = "grpcbench";
inline constexpr const char* kTenantKey = "x-env-manager-tenant";
inline constexpr const char* kService = "redis";
inline constexpr const char* kContainer = "grpcbench-redis";
inline constexpr const char* kHealthCheckMethod = "/grpc.health.v1.Health/Check";
inline constexpr const char* kServicesStatusMethod = "/env_manager.v1.EnvManagerService/GetServicesStatus";
inline constexpr std::size_t kManyClients = 50;
inline constexpr std::size_t kStreams = 1000;
inline constexpr std::size_t kStreamChannels = 8;

bool run_quietly(const std::string& command);
double mib(long kib);
// A channel with its own subchannel pool never shares a connection with another channel, so N
// channels are N connections (the id makes their arguments differ too, for the same reason).
std::shared_ptr<grpc::Channel> open_channel(const std::string& target, int id);

// One connection: the generated stub, and both measured calls as method handles registered with
// the channel, as a generated stub holds each of its methods (there is no C++ health stub to use).
// Both are measured with raw bytes, so that the client does the same work for each (a health
// check's answer is not parsed either) and the figures compare the daemon's.
struct Connection {
    explicit Connection(std::shared_ptr<grpc::Channel> opened)
        : channel(std::move(opened)),
          stub(pb::EnvManagerService::NewStub(channel)),
          health_check(kHealthCheckMethod, grpc::internal::RpcMethod::NORMAL_RPC, channel),
          services_status(kServicesStatusMethod, grpc::internal::RpcMethod::NORMAL_RPC, channel) {}

    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<pb::EnvManagerService::Stub> stub;
    grpc::internal::RpcMethod health_check;
    grpc::internal::RpcMethod services_status;
};

// Both measured calls carry the same metadata (the health service ignores the tenant) and a
// deadline, so that a stuck daemon ends the run instead of hanging it.
void prepare(grpc::ClientContext& context);

struct Percentiles {
    double p50 = 0;
    double p99 = 0;
    double max = 0;
};

Percentiles percentiles_of(std::vector<double> values);

}  // namespace grpc_bench
