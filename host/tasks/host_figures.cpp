#include "host/tasks/host_figures.h"

#include <envmgr/sdk/run_tool.h>

#include <unistd.h>

#include <chrono>

namespace envmgr::host::tasks {
namespace {

std::string trimmed(std::string_view text) {
    const auto begin = text.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos) return {};
    const auto end = text.find_last_not_of(" \t\r");
    return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace

std::vector<GpuFigures> parse_nvidia_smi(std::string_view csv) {
    std::vector<GpuFigures> gpus;
    std::size_t begin = 0;
    while (begin < csv.size()) {
        const auto end = std::min(csv.find('\n', begin), csv.size());
        const std::string_view line = csv.substr(begin, end - begin);
        begin = end + 1;
        std::vector<std::string> fields;
        std::size_t from = 0;
        for (;;) {
            const auto comma = line.find(',', from);
            fields.push_back(
                trimmed(line.substr(from, comma == std::string_view::npos ? line.npos : comma - from)));
            if (comma == std::string_view::npos) break;
            from = comma + 1;
        }
        if (fields.size() != 4) continue;
        try {
            GpuFigures gpu;
            gpu.index = std::stoll(fields[0]);
            gpu.name = fields[1];
            gpu.memory_bytes = std::stoll(fields[2]) * 1024 * 1024;
            gpu.utilization_percent = fields[3].find_first_of("0123456789") == 0 ? std::stod(fields[3]) : 0.0;
            gpus.push_back(std::move(gpu));
        } catch (const std::exception&) {  // a line of another shape: not a GPU
        }
    }
    return gpus;
}

HostFigures read_host_figures(const std::string& nvidia_smi) {
    HostFigures figures;
    figures.cpu_cores = ::sysconf(_SC_NPROCESSORS_ONLN);
    figures.memory_bytes = static_cast<std::int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGE_SIZE);
    const std::string program = sdk::find_program(nvidia_smi);
    if (program.empty()) {
        figures.gpu_note = nvidia_smi + " not found: no NVIDIA GPU reported";
        return figures;
    }
    const auto captured = sdk::run_tool(
        program, {"--query-gpu=index,name,memory.total,utilization.gpu", "--format=csv,noheader,nounits"},
        std::chrono::seconds(5));
    if (!captured.error.empty()) {
        figures.gpu_note = captured.error;
        return figures;
    }
    figures.gpus = parse_nvidia_smi(captured.out);
    return figures;
}

HostFiguresReader::HostFiguresReader(std::string nvidia_smi, std::chrono::milliseconds fresh_for)
    : nvidia_smi_(std::move(nvidia_smi)), fresh_for_(fresh_for) {}

HostFigures HostFiguresReader::read() {
    std::unique_lock lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (read_once_ && now - read_at_ < fresh_for_) return last_;
    if (reading_) {
        // One nvidia-smi at a time: the others take what it finds (or the last figures).
        if (read_once_) return last_;
        done_.wait(lock, [this] { return !reading_; });
        return last_;
    }
    reading_ = true;
    lock.unlock();
    auto figures = read_host_figures(nvidia_smi_);
    lock.lock();
    last_ = figures;
    read_at_ = std::chrono::steady_clock::now();
    read_once_ = true;
    reading_ = false;
    done_.notify_all();
    return figures;
}

}  // namespace envmgr::host::tasks
