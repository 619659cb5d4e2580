// The host's real figures for GetResourceAvailability: CPU cores and memory from the kernel,
// NVIDIA GPUs from nvidia-smi when it is installed (none otherwise: nothing is invented).
#pragma once

#include <cstdint>
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

// nvidia_smi: a program name looked up on PATH, or a path. Runs it for at most 5 s.
HostFigures read_host_figures(const std::string& nvidia_smi);

// `nvidia-smi --query-gpu=index,name,memory.total,utilization.gpu --format=csv,noheader,nounits`
// output (memory in MiB). Lines it cannot read are skipped; "[N/A]" utilization reads as 0.
std::vector<GpuFigures> parse_nvidia_smi(std::string_view csv);

}  // namespace envmgr::host::tasks
