#include "host/loader/call_tracker.h"

#include <envmgr/sdk/async_call.h>

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <atomic>
#include <future>
#include <thread>

namespace envmgr::host::loader {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<CallTracker> make_tracker() {
    return std::make_shared<CallTracker>(
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()));
}

// A callee that keeps the host's callbacks and completes them when the test says.
struct Callee {
    envmgr_callbacks callbacks{};
    std::vector<envmgr_operation_id> cancelled;
    std::atomic<bool> cancel_seen{false};  // for a thread that waits for the cancel
    CallTracker::Invoke invoke(envmgr_operation_id id = 7) {
        return [this, id](const envmgr_callbacks& host_callbacks) {
            callbacks = host_callbacks;
            return id;
        };
    }
    CallTracker::Cancel cancel() {
        return [this](envmgr_operation_id id) {
            cancelled.push_back(id);
            cancel_seen = true;
        };
    }
    void complete(envmgr_status status) { callbacks.on_complete(callbacks.user_data, status, nullptr); }
};

TEST(CallTracker, ACompletionReachesTheCallerAndTheCallIsForgotten) {
    auto tracker = make_tracker();
    Callee callee;
    sdk::Result result;
    const auto caller = sdk::make_callbacks([&](sdk::Result r) { result = std::move(r); });
    const auto id = tracker->start(caller, callee.invoke(), callee.cancel());
    EXPECT_NE(id, 0U);
    EXPECT_EQ(tracker->calls_in_flight(), 1U);
    tracker->cancel(id);
    EXPECT_EQ(callee.cancelled, std::vector<envmgr_operation_id>{7});  // the callee's own id
    callee.complete(ENVMGR_STATUS_CANCELLED);
    EXPECT_EQ(result.status, ENVMGR_STATUS_CANCELLED);
    EXPECT_EQ(tracker->calls_in_flight(), 0U);
}

TEST(CallTracker, ACallCompletedDuringItsStartReturnsZero) {
    auto tracker = make_tracker();
    sdk::Result result;
    const auto caller = sdk::make_callbacks([&](sdk::Result r) { result = std::move(r); });
    const auto id = tracker->start(
        caller,
        [](const envmgr_callbacks& cb) {
            cb.on_complete(cb.user_data, ENVMGR_STATUS_OK, nullptr);
            return envmgr_operation_id{0};
        },
        [](envmgr_operation_id) {});
    EXPECT_EQ(id, 0U);
    EXPECT_TRUE(result.ok());
}

TEST(CallTracker, ShutCancelsWaitsForTheCompletionDeliversItThenClosesTheGate) {
    auto tracker = make_tracker();
    Callee callee;
    sdk::Result result;
    const auto caller = sdk::make_callbacks([&](sdk::Result r) { result = std::move(r); });
    tracker->start(caller, callee.invoke(), callee.cancel());
    // The callee answers the cancel 50 ms later, from its own thread.
    std::thread answering([&] {
        while (!callee.cancel_seen) std::this_thread::sleep_for(1ms);
        std::this_thread::sleep_for(50ms);
        callee.complete(ENVMGR_STATUS_CANCELLED);
    });
    const auto shut = tracker->shut(2s, [](std::uint64_t) {});
    answering.join();
    EXPECT_EQ(shut.calls_left, 0U);
    EXPECT_FALSE(shut.busy);
    EXPECT_EQ(result.status, ENVMGR_STATUS_CANCELLED);
    EXPECT_EQ(tracker->phase(), CallTracker::Phase::closed);
    EXPECT_FALSE(tracker->deliver([] { FAIL() << "delivered after the gate closed"; }));
}

TEST(CallTracker, ACompletionAfterTheBoundIsDroppedAndItsCallStaysUntilItArrives) {
    auto tracker = make_tracker();
    Callee callee;
    int delivered = 0;
    // Plain callbacks: a dropped completion never releases what make_callbacks allocates.
    envmgr_callbacks caller{};
    caller.struct_size = sizeof caller;
    caller.user_data = &delivered;
    caller.on_complete = [](void* user, envmgr_status, const char*) { ++*static_cast<int*>(user); };
    tracker->start(caller, callee.invoke(), callee.cancel());
    const auto shut = tracker->shut(20ms, [](std::uint64_t) {});
    EXPECT_EQ(shut.calls_left, 1U);
    callee.complete(
        ENVMGR_STATUS_OK);  // late: the callee's callbacks are still valid, the caller is not called
    EXPECT_EQ(delivered, 0);
    EXPECT_EQ(tracker->calls_in_flight(), 0U);
}

TEST(CallTracker, NewCallsWhileDrainingCompleteCancelledAndOnceClosedAreRefused) {
    auto tracker = make_tracker();
    Callee held;
    envmgr_callbacks keep{};  // its completion is dropped: nothing to release
    keep.struct_size = sizeof keep;
    keep.on_complete = [](void*, envmgr_status, const char*) {};
    tracker->start(keep, held.invoke(), held.cancel());
    sdk::Result during;
    std::promise<void> draining;
    std::thread shutting([&] { tracker->shut(200ms, [&](std::uint64_t) {}); });
    while (tracker->phase() == CallTracker::Phase::open) std::this_thread::sleep_for(1ms);
    const auto caller = sdk::make_callbacks([&](sdk::Result r) { during = std::move(r); });
    bool invoked = false;
    const auto never = [&](const envmgr_callbacks&) {
        invoked = true;
        return envmgr_operation_id{1};
    };
    EXPECT_EQ(tracker->start(caller, never, [](envmgr_operation_id) {}), 0U);
    EXPECT_EQ(during.status, ENVMGR_STATUS_CANCELLED);
    shutting.join();
    held.complete(ENVMGR_STATUS_CANCELLED);
    envmgr_callbacks unused{};
    unused.struct_size = sizeof unused;
    unused.on_complete = [](void*, envmgr_status, const char*) { ADD_FAILURE() << "completed after close"; };
    EXPECT_EQ(tracker->start(unused, never, [](envmgr_operation_id) {}), 0U);
    EXPECT_FALSE(invoked);
}

TEST(CallTracker, ShutReportsBusyWhenACallbackIntoThePluginDoesNotReturnWithinTheBound) {
    auto tracker = make_tracker();
    std::promise<void> inside;
    std::promise<void> release;
    std::thread delivering([&] {
        tracker->deliver([&] {
            inside.set_value();
            release.get_future().wait();
        });
    });
    inside.get_future().wait();
    const auto shut = tracker->shut(50ms, [](std::uint64_t) {});
    EXPECT_TRUE(shut.busy);
    release.set_value();
    delivering.join();
}

}  // namespace
}  // namespace envmgr::host::loader
