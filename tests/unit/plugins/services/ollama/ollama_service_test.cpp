#include "plugins/services/ollama/ollama_service.h"
#include "plugins/services/ollama/gpu_detection.h"

#include <envmgr/sdk/testing/fake_host.h>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace envmgr::plugins::services::ollama {
namespace {

namespace fs = std::filesystem;

// A fake /dev, /proc and nvidia-smi under a temporary folder: the host's own are not touched.
class FakeTree : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("envmgr-gpu-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        fs::create_directories(root_ / "dev");
        fs::create_directories(root_ / "proc");
        // What every host with the driver but no GPU has, and must not count.
        for (const char* name : {"nvidiactl", "nvidia-uvm", "nvidia-modeset", "null"}) {
            touch(root_ / "dev" / name);
        }
    }
    void TearDown() override { fs::remove_all(root_); }

    static void touch(const fs::path& path) { std::ofstream(path).put('\n'); }

    [[nodiscard]] GpuSources sources(const std::string& nvidia_smi = "") const {
        return {root_ / "dev", root_ / "proc", nvidia_smi, std::chrono::milliseconds(2000)};
    }

    fs::path write_script(const std::string& body) const {
        auto path = root_ / "nvidia-smi";
        std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
        ::chmod(path.c_str(), 0755);
        return path;
    }

    fs::path root_;
};

TEST_F(FakeTree, NoDevicesMeansNoGpu) {
    const auto found = detect_gpus(sources());
    EXPECT_EQ(found.count, 0);
}

TEST_F(FakeTree, DeviceFilesCountOneGpuEach) {
    touch(root_ / "dev" / "nvidia0");
    touch(root_ / "dev" / "nvidia1");
    const auto found = detect_gpus(sources());
    EXPECT_EQ(found.count, 2);
    EXPECT_NE(found.evidence.find("nvidia*"), std::string::npos);
}

TEST_F(FakeTree, TheDriversProcEntriesCountWhenThereAreNoDeviceFiles) {
    fs::create_directories(root_ / "proc" / "driver" / "nvidia" / "gpus" / "0000:01:00.0");
    EXPECT_EQ(detect_gpus(sources()).count, 1);
}

TEST_F(FakeTree, NvidiaSmiNamesTheGpusWhenInstalled) {
    touch(root_ / "dev" / "nvidia0");
    const auto script = write_script(
        "[ \"$1\" = --list-gpus ] || exit 3\n"
        "echo 'GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-1b2c)'\n"
        "echo 'GPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-3d4e)'");
    const auto found = detect_gpus(sources(script.string()));
    EXPECT_EQ(found.count, 2);
    ASSERT_EQ(found.names.size(), 2U);
    EXPECT_EQ(found.names[0], "NVIDIA A100-SXM4-40GB");
}

TEST_F(FakeTree, ABrokenOrHangingNvidiaSmiIsIgnored) {
    EXPECT_EQ(detect_gpus(sources(write_script("exit 9").string())).count, 0);
    auto slow = sources(write_script("sleep 5; echo 'GPU 0: late'").string());
    slow.nvidia_smi_timeout = std::chrono::milliseconds(200);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(detect_gpus(slow).count, 0);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
    EXPECT_EQ(detect_gpus(sources((root_ / "missing").string())).count, 0);
}

TEST_F(FakeTree, OllamaRequestsTheGpusOnlyWhereTheHostHasThem) {
    sdk::testing::FakeHost fake;
    const nlohmann::json settings{
        {"dev_dir", (root_ / "dev").string()}, {"proc_dir", (root_ / "proc").string()}, {"nvidia_smi", ""}};
    OllamaService without(fake.host(), settings);
    const auto definition = nlohmann::json(without.definitions().at(0));
    EXPECT_EQ(gpu_resolution(definition, without.gpus()), nlohmann::json({{"gpu", "none"}}));

    touch(root_ / "dev" / "nvidia0");
    OllamaService with(fake.host(), settings);
    EXPECT_EQ(gpu_resolution(definition, with.gpus()), nlohmann::json({{"gpu", "required"}}));
    // An operator's explicit choice stands.
    EXPECT_EQ(gpu_resolution({{"gpu", "none"}}, with.gpus()), nlohmann::json::object());
}

TEST(OllamaService, IsTheDefinitionOfServicesMd) {
    sdk::testing::FakeHost fake;
    OllamaService plugin(fake.host(),
                         {{"dev_dir", "/nonexistent"}, {"proc_dir", "/nonexistent"}, {"nvidia_smi", ""}});
    const auto definitions = plugin.definitions();
    ASSERT_EQ(definitions.size(), 1U);
    const auto& ollama = definitions[0];
    EXPECT_EQ(ollama.name, "ollama");
    EXPECT_EQ(ollama.image, "ollama/ollama:latest");
    ASSERT_EQ(ollama.ports.size(), 1U);
    EXPECT_EQ(ollama.ports[0].container_port, 11434);
    EXPECT_EQ(ollama.ports[0].host_port, 11434);
    EXPECT_EQ(ollama.env, (std::map<std::string, std::string>{{"OLLAMA_HOST", "0.0.0.0:11434"}}));
    ASSERT_EQ(ollama.mounts.size(), 1U);
    EXPECT_EQ(ollama.mounts[0].source, "ollama_data");
    EXPECT_EQ(ollama.mounts[0].target, "/root/.ollama");
    EXPECT_TRUE(ollama.depends_on.empty());
    EXPECT_EQ(ollama.readiness.type, "http");
    EXPECT_EQ(ollama.readiness.path, "/api/tags");
    EXPECT_EQ(ollama.readiness.port, 11434);
    EXPECT_TRUE(ollama.optional);
    EXPECT_EQ(ollama.gpu, "optional");
}

}  // namespace
}  // namespace envmgr::plugins::services::ollama
