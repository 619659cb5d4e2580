// StreamHealth fan-out: 1000 streams over 8 connections see one change (the bench's redis is
// killed); prints the latency from the kill to each stream, the delivery spread, and the daemon's
// resident memory idle, with the streams, and after they end.
#pragma once

#include <sys/types.h>

#include <string>

namespace grpc_bench {

void measure_stream_fan_out(const std::string& target, pid_t daemon_pid);

}  // namespace grpc_bench
