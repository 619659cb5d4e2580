#include "host/loader/backend_choice.h"

#include <gtest/gtest.h>

namespace envmgr::host::loader {
namespace {

PluginRecord plugin(const std::string& id, envmgr_plugin_kind kind, const std::string& refusal = "") {
    PluginRecord record;
    record.file = id + ".so";
    record.info = PluginInfo{};
    record.info->id = id;
    record.info->kind = kind;
    record.refusal = refusal;
    return record;
}

const std::vector<PluginRecord> kFound{plugin("probe.tcp", ENVMGR_PLUGIN_KIND_PROBE),
                                       plugin("backend.alpha", ENVMGR_PLUGIN_KIND_BACKEND),
                                       plugin("backend.docker", ENVMGR_PLUGIN_KIND_BACKEND),
                                       plugin("backend.swarm", ENVMGR_PLUGIN_KIND_BACKEND)};

TEST(BackendChoice, UnsetPrefersDockerOverEarlierBackends) {
    const auto choice = choose_backend(kFound, "");
    EXPECT_EQ(choice.record, 2U);
    EXPECT_EQ(choice.error, "");
}

TEST(BackendChoice, UnsetWithoutDockerTakesTheFirstBackendAndNoneIsNoError) {
    EXPECT_EQ(choose_backend({kFound[0], kFound[3]}, "").record, 1U);
    const auto none = choose_backend({kFound[0]}, "");
    EXPECT_FALSE(none.record.has_value());
    EXPECT_EQ(none.error, "");
}

TEST(BackendChoice, NamedBackendIsChosen) {
    EXPECT_EQ(choose_backend(kFound, "backend.swarm").record, 3U);
}

TEST(BackendChoice, NamedBackendNotFoundListsTheOnesThatWere) {
    const auto choice = choose_backend(kFound, "backend.swarn");
    EXPECT_FALSE(choice.record.has_value());
    EXPECT_EQ(choice.error,
              "plugins.backend: no backend plugin 'backend.swarn' was found in the plugin path (found: "
              "backend.alpha, backend.docker, backend.swarm)");
    // A probe of that id is not a backend; a refused backend says why it was refused.
    EXPECT_NE(choose_backend(kFound, "probe.tcp").error, "");
    const std::vector<PluginRecord> refused{plugin("backend.swarm", ENVMGR_PLUGIN_KIND_BACKEND, "broken")};
    EXPECT_EQ(choose_backend(refused, "backend.swarm").error,
              "plugins.backend: the backend plugin 'backend.swarm' was refused: broken");
}

}  // namespace
}  // namespace envmgr::host::loader
