#include "plugins/backends/docker/deadline_watch.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <vector>

namespace {

using namespace std::chrono_literals;
using envmgr::plugins::backends::docker::DeadlineWatch;
using Clock = DeadlineWatch::Clock;

TEST(DeadlineWatch, DeadlinesExpireInOrderAndNoneEarly) {
    boost::asio::io_context io;
    DeadlineWatch watch(io);
    const auto start = Clock::now();
    std::vector<std::pair<int, Clock::duration>> expired;
    // Later first: the timer is armed for 60 ms, then re-armed for the earlier 20 ms.
    watch.watch(start + 60ms, [&] { expired.emplace_back(2, Clock::now() - start); });
    watch.watch(start + 20ms, [&] { expired.emplace_back(1, Clock::now() - start); });
    io.run();  // returns once nothing is left to wait for
    ASSERT_EQ(expired.size(), 2U);
    EXPECT_EQ(expired[0].first, 1);
    EXPECT_GE(expired[0].second, 20ms);
    EXPECT_EQ(expired[1].first, 2);
    EXPECT_GE(expired[1].second, 60ms);
}

TEST(DeadlineWatch, ADroppedDeadlineNeverExpires) {
    boost::asio::io_context io;
    DeadlineWatch watch(io);
    int expired = 0;
    const auto dropped = watch.watch(Clock::now() + 10ms, [&] { ++expired; });
    watch.watch(Clock::now() + 30ms, [&] { ++expired; });
    watch.drop(dropped);
    io.run();
    EXPECT_EQ(expired, 1);
}

TEST(DeadlineWatch, AnExpiryMayWatchAgain) {
    boost::asio::io_context io;
    DeadlineWatch watch(io);
    int expired = 0;
    watch.watch(Clock::now() + 5ms, [&] {
        ++expired;
        watch.watch(Clock::now() + 5ms, [&] { ++expired; });
    });
    io.run();
    EXPECT_EQ(expired, 2);
}

TEST(DeadlineWatch, StopLetsTheIoContextRunOut) {
    boost::asio::io_context io;
    DeadlineWatch watch(io);
    int expired = 0;
    const auto ticket = watch.watch(Clock::now() + 60s, [&] { ++expired; });
    boost::asio::post(io, [&] { watch.stop(); });
    const auto start = Clock::now();
    io.run();
    EXPECT_LT(Clock::now() - start, 1s);
    EXPECT_EQ(expired, 0);
    watch.drop(ticket);
}

}  // namespace
