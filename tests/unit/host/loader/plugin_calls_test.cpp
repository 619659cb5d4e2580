#include "host/loader/plugin_calls.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace envmgr::host::loader {
namespace {

// A plugin's table entry that keeps the callbacks and completes them when the test says.
struct Callee {
    envmgr_callbacks callbacks{};
    std::vector<envmgr_operation_id> cancelled;

    PluginCalls::Start start(envmgr_operation_id id) {
        return [this, id](const envmgr_callbacks& given) {
            callbacks = given;
            return id;
        };
    }
    PluginCalls::Cancel cancel() {
        return [this](envmgr_operation_id id) { cancelled.push_back(id); };
    }
    void item(const char* json) const { callbacks.on_item(callbacks.user_data, json); }
    void complete(envmgr_status status, const char* payload) const {
        callbacks.on_complete(callbacks.user_data, status, payload);
    }
};

TEST(PluginCalls, ItemsAndTheCompletionReachTheCallerAndTheCallEnds) {
    auto calls = std::make_shared<PluginCalls>();
    Callee callee;
    std::vector<std::string> items;
    sdk::Result done{ENVMGR_STATUS_INTERNAL, "not yet"};
    const auto id = calls->start(
        callee.start(41), callee.cancel(), [&](const sdk::Result& r) { done = r; },
        [&](std::string_view item) { items.emplace_back(item); });
    EXPECT_NE(id, 0U);
    EXPECT_EQ(calls->in_flight(), 1U);
    callee.item(R"({"n":1})");
    callee.complete(ENVMGR_STATUS_OK, "{}");
    EXPECT_EQ(items, std::vector<std::string>{R"({"n":1})"});
    EXPECT_TRUE(done.ok());
    EXPECT_EQ(calls->in_flight(), 0U);
    calls->cancel(id);  // finished: nothing reaches the plugin
    EXPECT_TRUE(callee.cancelled.empty());
}

TEST(PluginCalls, ACancelReachesThePluginWithItsOwnOperationId) {
    auto calls = std::make_shared<PluginCalls>();
    Callee callee;
    const auto id = calls->start(callee.start(41), callee.cancel(), [](const sdk::Result&) {});
    calls->cancel(id);
    EXPECT_EQ(callee.cancelled, std::vector<envmgr_operation_id>{41});
    callee.complete(ENVMGR_STATUS_CANCELLED, "cancelled");
    EXPECT_EQ(calls->in_flight(), 0U);
}

TEST(PluginCalls, ACompletionDuringTheStartingCallLeavesNothingToCancel) {
    auto calls = std::make_shared<PluginCalls>();
    std::vector<envmgr_operation_id> cancelled;
    bool done = false;
    const auto id = calls->start(
        [](const envmgr_callbacks& callbacks) {
            callbacks.on_complete(callbacks.user_data, ENVMGR_STATUS_UNAVAILABLE, "engine down");
            return envmgr_operation_id{9};
        },
        [&](envmgr_operation_id op) { cancelled.push_back(op); }, [&](const sdk::Result&) { done = true; });
    EXPECT_EQ(id, 0U);
    EXPECT_TRUE(done);
    EXPECT_EQ(calls->in_flight(), 0U);
    calls->cancel(1);
    EXPECT_TRUE(cancelled.empty());
}

TEST(PluginCalls, TheTableOutlivesItsOwnerUntilTheLastCompletion) {
    auto calls = std::make_shared<PluginCalls>();
    Callee callee;
    bool done = false;
    calls->start(callee.start(3), callee.cancel(), [&](const sdk::Result&) { done = true; });
    calls.reset();  // the owner went; the plugin still owes a completion
    callee.complete(ENVMGR_STATUS_OK, "");
    EXPECT_TRUE(done);
}

}  // namespace
}  // namespace envmgr::host::loader
