#include <envmgr/sdk/async_call.h>
#include <envmgr/sdk/completion.h>

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace envmgr::sdk {
namespace {

TEST(Completion, CompletesExactlyOnceEvenWhenRacedFromThreads) {
    int completions = 0;
    envmgr_status seen = ENVMGR_STATUS_INTERNAL;
    const auto callbacks = make_callbacks([&](const Result& r) {
        ++completions;
        seen = r.status;
    });
    Completion done(&callbacks);
    std::vector<std::thread> threads;
    threads.reserve(8);
    for (int i = 0; i < 8; ++i) threads.emplace_back([done] { done.ok(); });
    for (auto& t : threads) t.join();
    EXPECT_FALSE(done.fail(ENVMGR_STATUS_INTERNAL, "late"));
    EXPECT_EQ(completions, 1);
    EXPECT_EQ(seen, ENVMGR_STATUS_OK);
}

TEST(Completion, DroppedWithoutCompletingReportsInternal) {
    Result result;
    {
        const auto callbacks = make_callbacks([&](Result r) { result = std::move(r); });
        Completion done(&callbacks);
    }
    EXPECT_EQ(result.status, ENVMGR_STATUS_INTERNAL);
    EXPECT_EQ(result.payload, "operation dropped without completing");
}

TEST(Completion, ItemsArriveBeforeTheCompletionAndNotAfter) {
    std::vector<std::string> items;
    const auto callbacks = make_callbacks([&](const Result&) { items.emplace_back("<done>"); },
                                          [&](std::string_view item) { items.emplace_back(item); });
    Completion done(&callbacks);
    EXPECT_TRUE(done.streaming());
    done.item("a");
    done.item("b");
    done.ok();
    done.item("c");
    EXPECT_EQ(items, (std::vector<std::string>{"a", "b", "<done>"}));
}

TEST(Completion, CompletingFromInsideAnItemRunsAfterTheItemReturns) {
    std::vector<std::string> events;
    Completion* handle = nullptr;
    const auto callbacks =
        make_callbacks([&](const Result& r) { events.push_back("done:" + r.payload); },
                       [&](std::string_view item) {
                           events.emplace_back(item);
                           handle->fail(ENVMGR_STATUS_CANCELLED, "cancelled");  // no deadlock
                           events.emplace_back("after-fail");
                       });
    Completion done(&callbacks);
    handle = &done;
    done.item("first");
    done.item("second");  // not delivered: the operation is over
    EXPECT_EQ(events, (std::vector<std::string>{"first", "after-fail", "done:cancelled"}));
}

TEST(Completion, CallbacksRunWithNoLockHeldSoACancelFromAnotherThreadCannotDeadlock) {
    // A frontend's pattern: on_item takes the frontend's stream lock; another thread that holds
    // that lock cancels the operation. Were a lock of the completion held while on_item runs,
    // the two threads would wait for each other forever.
    std::mutex stream_lock;
    std::promise<void> item_started;
    std::promise<void> cancel_done;
    std::vector<std::string> events;
    const auto callbacks =
        make_callbacks([&](const Result& r) { events.push_back("done:" + r.payload); },
                       [&](std::string_view item) {
                           item_started.set_value();
                           cancel_done.get_future().wait();  // the other thread cancels meanwhile
                           const std::lock_guard lock(stream_lock);
                           events.emplace_back(item);
                       });
    Completion done(&callbacks);
    std::thread canceller([&] {
        item_started.get_future().wait();
        {
            const std::lock_guard lock(stream_lock);
            EXPECT_TRUE(done.fail(ENVMGR_STATUS_CANCELLED, "cancelled"));  // returns at once
        }
        cancel_done.set_value();
    });
    auto delivering = std::async(std::launch::async, [&] { done.item("only"); });
    ASSERT_EQ(delivering.wait_for(std::chrono::seconds(5)), std::future_status::ready) << "deadlock";
    canceller.join();
    // The completion asked for during the item is delivered right after it, by the same thread.
    EXPECT_EQ(events, (std::vector<std::string>{"only", "done:cancelled"}));
}

TEST(Completion, UnusableCallbacksAreRecognised) {
    EXPECT_FALSE(Completion::usable(nullptr));
    envmgr_callbacks callbacks{};
    callbacks.struct_size = sizeof callbacks;
    EXPECT_FALSE(Completion::usable(&callbacks));  // no on_complete
    callbacks.on_complete = [](void*, envmgr_status, const char*) {};
    EXPECT_TRUE(Completion::usable(&callbacks));
    callbacks.struct_size = offsetof(envmgr_callbacks, on_complete);  // too short to hold it
    EXPECT_FALSE(Completion::usable(&callbacks));
}

TEST(StructView, ShorterPeerStructReadsAsZeroTail) {
    envmgr_callbacks shorter{};
    shorter.struct_size = offsetof(envmgr_callbacks, on_item);
    shorter.user_data = &shorter;
    shorter.on_complete = [](void*, envmgr_status, const char*) {};  // beyond the peer's size
    const auto read = read_sized_struct<envmgr_callbacks>(&shorter);
    EXPECT_EQ(read.user_data, &shorter);
    EXPECT_EQ(read.on_complete, nullptr);
}

}  // namespace
}  // namespace envmgr::sdk
