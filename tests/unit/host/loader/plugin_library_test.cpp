#include "host/loader/plugin_library.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <filesystem>
#include <string>

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

TEST(PluginLibrary, OtherAbiMajorIsRefusedWithBothVersionsReadingOnlyTheFrozenHeader) {
    const auto outcome = load("fixture_wrong_major");
    EXPECT_FALSE(outcome.library);
    EXPECT_EQ(outcome.reason, "ABI major versions disagree: plugin 99.0, host 1.1");
}

TEST(PluginLibrary, AnotherMajorsLayoutAfterTheHeaderIsNeverRead) {
    // Its "id" would be the pointer 0x1: reading it as a 1.x descriptor would crash the host.
    const auto outcome = load("fixture_other_major_layout");
    EXPECT_FALSE(outcome.library);
    EXPECT_EQ(outcome.reason, "ABI major versions disagree: plugin 2.0, host 1.1");
}

TEST(PluginLibrary, PluginNeedingNewerMinorIsRefused) {
    const auto outcome = load("fixture_newer_minor");
    EXPECT_FALSE(outcome.library);
    EXPECT_EQ(outcome.reason, "plugin 'probe.fixture-newer-minor': needs ABI 1.99, this host provides 1.1");
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

struct RefusalCase {
    const char* fixture;
    const char* reason;
};

class PluginLibraryRefusal : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(PluginLibraryRefusal, IsRefusedWithItsReason) {
    const auto outcome = load(GetParam().fixture);
    EXPECT_FALSE(outcome.library);
    EXPECT_EQ(outcome.reason, GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, PluginLibraryRefusal,
    ::testing::Values(
        RefusalCase{"fixture_short_table",
                    "plugin 'probe.fixture-short-table': probe table is 16 bytes, this host "
                    "needs at least 32"},
        RefusalCase{"fixture_no_definitions",
                    "plugin 'service.fixture-no-definitions': symbol not implemented: definitions"},
        RefusalCase{"fixture_no_check", "plugin 'probe.fixture-no-check': symbol not implemented: check"},
        RefusalCase{"fixture_no_cancel", "plugin 'probe.fixture-no-cancel': symbol not implemented: cancel"},
        RefusalCase{"fixture_no_invoke",
                    "plugin 'backend.fixture-no-invoke': symbol not implemented: invoke"},
        RefusalCase{
            "fixture_resolve_without_cancel",
            "plugin 'service.fixture-resolve-no-cancel': resolve and cancel must be implemented together"},
        RefusalCase{"fixture_category_mismatch",
                    "id 'probe.fixture-category' must be 'backend.<name>' for a backend plugin"},
        RefusalCase{"fixture_bad_id_characters",
                    "id 'probe.Fixture Bad!' may hold only a-z, 0-9, '.', '-' and '_'"},
        RefusalCase{"fixture_unknown_kind", "plugin 'probe.fixture-unknown-kind': unknown plugin kind 42"},
        RefusalCase{"fixture_no_kind_api",
                    "plugin 'probe.fixture-no-table': the descriptor has no kind_api table"},
        RefusalCase{"fixture_tiny_descriptor", "descriptor too small to hold its version (4 bytes)"},
        RefusalCase{"fixture_entry_returns_null",
                    "the entry point returned no descriptor (the plugin declined this host)"},
        RefusalCase{"fixture_entry_throws",
                    "the entry point threw an exception: fixture: the entry point exploded"}),
    [](const ::testing::TestParamInfo<RefusalCase>& param) {
        return std::string(param.param.fixture).substr(8);
    });

TEST(PluginLibraryVersions, AnAbi10DescriptorLoadsInThis11HostWithTheNewFieldsReadAsZero) {
    const auto outcome = load("fixture_abi_1_0");
    ASSERT_TRUE(outcome.library) << outcome.reason;
    // The fixture filled last_error and flags past its declared size: neither may be read.
    EXPECT_EQ(outcome.library->descriptor().last_error, nullptr);
    EXPECT_EQ(outcome.library->descriptor().flags, 0U);
}

TEST(PluginLibraryVersions, APluginNeeding11LoadsIn11AndIsRefusedBy10) {
    const auto in_11 = load_plugin_library(kFixtures / "fixture_needs_1_1.so", 1);
    ASSERT_TRUE(in_11.library) << in_11.reason;
    EXPECT_NE(in_11.library->descriptor().last_error, nullptr);
    const auto in_10 = load_plugin_library(kFixtures / "fixture_needs_1_1.so", 0);
    EXPECT_FALSE(in_10.library);
    EXPECT_EQ(in_10.reason, "plugin 'probe.fixture-needs-1-1': needs ABI 1.1, this host provides 1.0");
}

TEST(PluginLibraryVersions, APluginThatMustNeverBeUnloadedStaysMappedAfterItsLibraryIsDropped) {
    const auto path = kFixtures / "fixture_never_unload.so";
    {
        const auto outcome = load("fixture_never_unload");
        ASSERT_TRUE(outcome.library) << outcome.reason;
    }
    void* still_there = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
    EXPECT_NE(still_there, nullptr) << "the library was unloaded";
    if (still_there != nullptr) ::dlclose(still_there);

    // The contrast: an ordinary plugin is unloaded when its last holder lets go.
    const auto ordinary = kFixtures / "fixture_abi_1_0.so";
    { ASSERT_TRUE(load("fixture_abi_1_0").library); }
    EXPECT_EQ(::dlopen(ordinary.c_str(), RTLD_NOW | RTLD_NOLOAD), nullptr);
}

}  // namespace
}  // namespace envmgr::host::loader
