// Finds the host's NVIDIA GPUs without needing NVIDIA's libraries: device files, the driver's
// /proc entries, and nvidia-smi when it is installed. The folders and the program are
// settings, so tests point them at a fake tree.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace envmgr::plugins::services::ollama {

struct GpuSources {
    std::filesystem::path dev_dir = "/dev";    // nvidia0, nvidia1, ... (not nvidiactl, nvidia-uvm)
    std::filesystem::path proc_dir = "/proc";  // driver/nvidia/gpus/<pci bus id>/
    std::string nvidia_smi = "nvidia-smi";     // "" : not used; a bare name is searched in PATH
    std::chrono::milliseconds nvidia_smi_timeout{3000};
};

struct DetectedGpus {
    int count = 0;
    std::vector<std::string> names;  // from nvidia-smi when it answered
    std::string evidence;            // where the count came from, for the log: "/dev/nvidia*", ...
};

DetectedGpus detect_gpus(const GpuSources& sources);

}  // namespace envmgr::plugins::services::ollama
