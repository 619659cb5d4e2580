#include "host/tasks/host_figures.h"
#include "host/tasks/workload_slots.h"

#include <gtest/gtest.h>

#include <unistd.h>

namespace envmgr::host::tasks {
namespace {

TEST(NvidiaSmi, EachGpuLineIsRead) {
    const auto gpus = parse_nvidia_smi("0, NVIDIA A100-SXM4-40GB, 40960, 37\n1, Tesla T4, 15360, [N/A]\n");
    ASSERT_EQ(gpus.size(), 2U);
    EXPECT_EQ(gpus[0].name, "NVIDIA A100-SXM4-40GB");
    EXPECT_EQ(gpus[0].memory_bytes, 40960LL << 20);
    EXPECT_DOUBLE_EQ(gpus[0].utilization_percent, 37.0);
    EXPECT_EQ(gpus[1].index, 1);
    EXPECT_DOUBLE_EQ(gpus[1].utilization_percent, 0.0);
}

TEST(NvidiaSmi, OtherLinesAreNotGpus) {
    EXPECT_TRUE(parse_nvidia_smi("").empty());
    EXPECT_TRUE(parse_nvidia_smi("No devices were found\n").empty());
    EXPECT_TRUE(parse_nvidia_smi("x, y, z, w\n").empty());
}

TEST(HostFigures, CoresAndMemoryComeFromTheKernelAndNoGpuIsInvented) {
    const auto figures = read_host_figures("/nonexistent/nvidia-smi");
    EXPECT_EQ(figures.cpu_cores, ::sysconf(_SC_NPROCESSORS_ONLN));
    EXPECT_GT(figures.memory_bytes, 0);
    EXPECT_TRUE(figures.gpus.empty());
    EXPECT_EQ(figures.gpu_note, "/nonexistent/nvidia-smi not found: no NVIDIA GPU reported");
}

TEST(WorkloadSlots, ASlotIsHeldUntilReleasedAndCapacityIsTheLimit) {
    WorkloadSlots slots({{"cpu_short", 1}, {"cpu_long", 0}});
    EXPECT_TRUE(slots.acquire("cpu_short"));
    EXPECT_FALSE(slots.acquire("cpu_short"));
    EXPECT_EQ(slots.usage("cpu_short").in_use, 1);
    slots.release("cpu_short");
    EXPECT_TRUE(slots.acquire("cpu_short"));
    EXPECT_FALSE(slots.acquire("cpu_long"));
    EXPECT_EQ(slots.usage("gpu").capacity, 0);
}

TEST(WorkloadSlots, EmptyMeansCpuShortAndUnknownClassesAreNamed) {
    std::string error;
    EXPECT_EQ(WorkloadSlots::resolve("", error), "cpu_short");
    EXPECT_EQ(WorkloadSlots::resolve("gpu", error), "gpu");
    EXPECT_FALSE(WorkloadSlots::resolve("huge", error).has_value());
    EXPECT_EQ(error, "workload_class: unknown class 'huge' (cpu_short, cpu_long, gpu)");
}

}  // namespace
}  // namespace envmgr::host::tasks
