#include "plugins/services/ollama/gpu_detection.h"

#include <envmgr/sdk/run_tool.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace envmgr::plugins::services::ollama {
namespace {

int count_device_files(const std::filesystem::path& dev_dir) {
    int count = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dev_dir, ec)) {
        const std::string name = entry.path().filename().string();
        // nvidia<N> is one GPU; nvidiactl, nvidia-uvm and nvidia-modeset are the driver's.
        if (name.size() > 6 && name.starts_with("nvidia") &&
            std::all_of(name.begin() + 6, name.end(),
                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
            ++count;
        }
    }
    return count;
}

int count_proc_entries(const std::filesystem::path& proc_dir) {
    int count = 0;
    std::error_code ec;
    for (const auto& entry :
         std::filesystem::directory_iterator(proc_dir / "driver" / "nvidia" / "gpus", ec)) {
        if (entry.is_directory(ec)) ++count;
    }
    return count;
}

// `nvidia-smi --list-gpus` prints "GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-...)" per GPU. A
// hung driver can make it block, so it gets a deadline and is killed after it.
std::vector<std::string> nvidia_smi_names(const std::string& program, std::chrono::milliseconds timeout) {
    const auto run = sdk::run_tool(program, {"--list-gpus"}, timeout, std::size_t{64} * 1024);
    if (!run.error.empty()) return {};
    std::vector<std::string> names;
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("GPU ")) continue;
        const auto colon = line.find(": ");
        const auto uuid = line.find(" (UUID");
        if (colon == std::string::npos) continue;
        names.push_back(
            line.substr(colon + 2, uuid == std::string::npos ? std::string::npos : uuid - colon - 2));
    }
    return names;
}

}  // namespace

DetectedGpus detect_gpus(const GpuSources& sources) {
    DetectedGpus found;
    if (const int devices = count_device_files(sources.dev_dir); devices > 0) {
        found.count = devices;
        found.evidence = (sources.dev_dir / "nvidia*").string();
    } else if (const int entries = count_proc_entries(sources.proc_dir); entries > 0) {
        found.count = entries;
        found.evidence = (sources.proc_dir / "driver/nvidia/gpus").string();
    }
    if (!sources.nvidia_smi.empty()) {
        if (const auto program = sdk::find_program(sources.nvidia_smi); !program.empty()) {
            found.names = nvidia_smi_names(program, sources.nvidia_smi_timeout);
            if (static_cast<int>(found.names.size()) > found.count) {
                found.count = static_cast<int>(found.names.size());
                found.evidence = program + " --list-gpus";
            }
        }
    }
    return found;
}

}  // namespace envmgr::plugins::services::ollama
