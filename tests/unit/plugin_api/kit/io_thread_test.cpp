#include <envmgr/kit/io_thread.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>

namespace envmgr::kit {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(IoThread, RunsPostedWorkOnItsOwnThread) {
    IoThread io({});
    std::promise<bool> ran;
    boost::asio::post(io.context(), [&] { ran.set_value(io.in_this_thread()); });
    EXPECT_TRUE(ran.get_future().get());
    EXPECT_FALSE(io.in_this_thread());
}

TEST(IoThread, AThrowingHandlerIsReportedAndTheThreadGoesOn) {
    std::promise<std::string> reported;
    IoThread io([&](const std::string& what) { reported.set_value(what); });
    boost::asio::post(io.context(), [] { throw std::runtime_error("boom"); });
    EXPECT_EQ(reported.get_future().get(), "boom");
    std::promise<void> after;
    boost::asio::post(io.context(), [&] { after.set_value(); });
    EXPECT_EQ(after.get_future().wait_for(5s), std::future_status::ready);
}

TEST(IoThread, ShutdownLetsQueuedWorkFinish) {
    std::atomic<int> done{0};
    {
        IoThread io({});
        for (int i = 0; i < 100; ++i) boost::asio::post(io.context(), [&] { ++done; });
        io.shutdown(5s);
    }
    EXPECT_EQ(done.load(), 100);
}

TEST(IoThread, ShutdownIsBoundedWhenWorkNeverEnds) {
    IoThread io({});
    // A timer a minute away keeps the context busy: shutdown must stop it after the bound.
    boost::asio::steady_timer timer(io.context(), 60s);
    timer.async_wait([](boost::system::error_code) {});
    const auto started = Clock::now();
    io.shutdown(100ms);
    const auto took = Clock::now() - started;
    EXPECT_GE(took, 100ms);
    EXPECT_LT(took, 5s);
}

}  // namespace
}  // namespace envmgr::kit
