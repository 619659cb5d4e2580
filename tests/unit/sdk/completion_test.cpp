#include <envmgr/sdk/async_call.h>
#include <envmgr/sdk/completion.h>

#include <gtest/gtest.h>

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
