// The host's real figures for GetResourceAvailability: CPU cores and memory from the kernel,
// NVIDIA GPUs from nvidia-smi when it is installed (none otherwise: nothing is invented).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace envmgr::host::tasks {

struct GpuFigures {
    std::int64_t index = 0;
    std::string name;
    std::int64_t memory_bytes = 0;
    double utilization_percent = 0;
};

struct HostFigures {
    std::int64_t cpu_cores = 0;
    std::int64_t memory_bytes = 0;
    std::vector<GpuFigures> gpus;
    std::string gpu_note;  // why there are none ("nvidia-smi not found"), or its failure
};

// Reads the figures at most once per `fresh_for`, one nvidia-smi at a time, so that callers
// polling availability do not start a program each. Any thread.
class HostFiguresReader {
public:
    HostFiguresReader(std::string nvidia_smi, std::chrono::milliseconds fresh_for);
    HostFigures read();

private:
    std::string nvidia_smi_;
    std::chrono::milliseconds fresh_for_;
    std::mutex mutex_;
    std::condition_variable done_;
    HostFigures last_;
    std::chrono::steady_clock::time_point read_at_;
    bool read_once_ = false;
    bool reading_ = false;
};

// nvidia_smi: a program name looked up on PATH, or a path. Runs it for at most 5 s.
HostFigures read_host_figures(const std::string& nvidia_smi);

// `nvidia-smi --query-gpu=index,name,memory.total,utilization.gpu --format=csv,noheader,nounits`
// output (memory in MiB). Lines it cannot read are skipped; "[N/A]" utilization reads as 0.
std::vector<GpuFigures> parse_nvidia_smi(std::string_view csv);

}  // namespace envmgr::host::tasks
