#include "host/loader/plugin_library.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace envmgr::host::loader {
namespace {

const std::filesystem::path kFixtures = ENVMGR_FIXTURE_PLUGIN_DIR;

LoadOutcome load(const std::string& name) {
    return load_plugin_library(kFixtures / (name + ".so"));
}

TEST(PluginLibrary, GoodSdkPluginLoadsWithItsDescriptor) {
    const auto outcome = load("fixture_good_probe");
    ASSERT_TRUE(outcome.library) << outcome.reason;
    const auto& info = outcome.library->info();
    EXPECT_EQ(info.id, "probe.fixture-good");
    EXPECT_EQ(info.kind, ENVMGR_PLUGIN_KIND_PROBE);
    EXPECT_EQ(info.version, "2.3.4");
    EXPECT_EQ(info.abi_major, ENVMGR_ABI_VERSION_MAJOR);
    EXPECT_STREQ(outcome.library->probe_api.probe_type, "fixture-good");
}

TEST(PluginLibrary, TextFileIsRefusedAsNotASharedLibrary) {
    const auto outcome = load("fixture_not_a_library");
    EXPECT_FALSE(outcome.library);
    EXPECT_EQ(outcome.reason.rfind("not a loadable shared library: ", 0), 0U) << outcome.reason;
    EXPECT_NE(outcome.reason.find("invalid ELF header"), std::string::npos) << outcome.reason;
}

TEST(PluginLibrary, LibraryWithoutEntryPointIsRefused) {
    const auto outcome = load("fixture_no_entry_point");
    EXPECT_FALSE(outcome.library);
    EXPECT_EQ(outcome.reason, "no entry point: the library does not export 'envmgr_plugin_entry'");
}

TEST(PluginLibrary, OtherAbiMajorIsRefusedNamingPluginAndBothVersions) {
    const auto outcome = load("fixture_wrong_major");
    EXPECT_FALSE(outcome.library);
    EXPECT_EQ(outcome.reason,
              "plugin 'probe.fixture-wrong-major': ABI major versions disagree: plugin 99.0, host 1.0");
}

TEST(PluginLibrary, PluginNeedingNewerMinorIsRefused) {
    const auto outcome = load("fixture_newer_minor");
    EXPECT_FALSE(outcome.library);
    EXPECT_EQ(outcome.reason, "plugin 'probe.fixture-newer-minor': needs ABI 1.99, this host provides 1.0");
}

TEST(PluginLibrary, DescriptorSmallerThanTheHostNeedsIsRefused) {
    const auto outcome = load("fixture_small_descriptor");
    EXPECT_FALSE(outcome.library);
    EXPECT_EQ(outcome.reason.rfind("plugin 'probe.fixture-small-descriptor': descriptor is 48 bytes, "
                                   "this host needs at least ",
                                   0),
              0U)
        << outcome.reason;
}

TEST(PluginLibrary, LargerDescriptorFromALaterMinorIsAccepted) {
    const auto outcome = load("fixture_larger_descriptor");
    ASSERT_TRUE(outcome.library) << outcome.reason;
    EXPECT_EQ(outcome.library->info().version, "1.1.0");
    EXPECT_GT(outcome.library->descriptor().struct_size, sizeof(envmgr_plugin_descriptor));
}

}  // namespace
}  // namespace envmgr::host::loader
