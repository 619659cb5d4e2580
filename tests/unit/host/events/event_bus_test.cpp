#include "host/events/event_bus.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace envmgr::host::events {
namespace {

using namespace std::chrono_literals;

// The host's executor: an io_context on two threads.
class EventBusTest : public ::testing::Test {
public:
    EventBusTest() : work_(boost::asio::make_work_guard(io_)) {
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
    }
    ~EventBusTest() override {
        work_.reset();
        for (auto& thread : threads_) thread.join();
    }

protected:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::vector<std::thread> threads_;
};

// Collects what a subscription receives.
struct Inbox {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::pair<std::string, std::string>> events;

    EventBus::Deliver deliver() {
        return [this](const std::string& topic, const std::string& json) {
            const std::lock_guard lock(mutex);
            events.emplace_back(topic, json);
            changed.notify_all();
        };
    }
    bool wait_for(std::size_t count, std::chrono::milliseconds timeout = 5s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return events.size() >= count; });
    }
};

TEST_F(EventBusTest, EventsArriveInOrderFilteredByTopicPrefixAndNeverOverlap) {
    EventBus bus(io_.get_executor());
    Inbox health;
    std::atomic<int> inside{0};
    std::atomic<bool> overlapped{false};
    bus.subscribe({.topic_prefix = "health"}, [&](const std::string& topic, const std::string& json) {
        if (++inside > 1) overlapped = true;
        health.deliver()(topic, json);
        --inside;
    });
    for (int i = 0; i < 500; ++i) {
        bus.publish(i % 2 == 0 ? "health" : "status", std::to_string(i));
    }
    ASSERT_TRUE(health.wait_for(250));
    std::this_thread::sleep_for(20ms);
    ASSERT_EQ(health.events.size(), 250U);
    for (std::size_t i = 0; i < 250; ++i) EXPECT_EQ(health.events[i].second, std::to_string(i * 2));
    EXPECT_FALSE(overlapped);
}

TEST_F(EventBusTest, AStalledSubscriberLosesItsOldestEventsAndIsToldHowManyWhileOthersGetAll) {
    EventBus bus(io_.get_executor());
    std::promise<void> release;
    auto released = release.get_future().share();
    std::promise<void> entered;
    Inbox slow;
    bool first = true;
    bus.subscribe({.topic_prefix = "", .queue_depth = 4},
                  [&](const std::string& topic, const std::string& json) {
                      if (first) {
                          first = false;
                          entered.set_value();
                          released.wait();  // stalls on its first event
                      }
                      slow.deliver()(topic, json);
                  });
    Inbox fast;
    bus.subscribe({}, fast.deliver());
    bus.publish("status", "0");
    entered.get_future().wait();
    for (int i = 1; i < 100; ++i) bus.publish("status", std::to_string(i));
    ASSERT_TRUE(fast.wait_for(100)) << "the stalled subscriber blocked another";
    release.set_value();
    // The first event was being delivered; of the 99 after it only the newest 4 were kept.
    ASSERT_TRUE(slow.wait_for(6));
    std::this_thread::sleep_for(20ms);
    ASSERT_EQ(slow.events.size(), 6U);
    EXPECT_EQ(slow.events[0].second, "0");
    EXPECT_EQ(slow.events[1], std::make_pair(std::string("dropped"), std::string(R"({"dropped":95})")));
    EXPECT_EQ(slow.events[2].second, "96");
    EXPECT_EQ(slow.events[5].second, "99");
    EXPECT_EQ(bus.dropped_by_topic().at("status"), 95U);
}

TEST_F(EventBusTest, UnsubscribingFromInsideItsOwnDeliveryReturnsAtOnceAndNothingFollows) {
    EventBus bus(io_.get_executor());
    std::uint64_t id = 0;
    std::atomic<int> delivered{0};
    std::promise<void> unsubscribed;
    id = bus.subscribe({}, [&](const std::string&, const std::string&) {
        if (++delivered == 1) {
            bus.unsubscribe(id);  // would deadlock if it waited for itself
            unsubscribed.set_value();
        }
    });
    for (int i = 0; i < 10; ++i) bus.publish("status", "{}");
    ASSERT_EQ(unsubscribed.get_future().wait_for(5s), std::future_status::ready);
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(delivered.load(), 1);
    EXPECT_EQ(bus.subscription_count(), 0U);
}

TEST_F(EventBusTest, UnsubscribingFromAnotherThreadWaitsForTheRunningDelivery) {
    EventBus bus(io_.get_executor());
    std::promise<void> entered;
    std::atomic<bool> finished{false};
    const auto id = bus.subscribe({}, [&](const std::string&, const std::string&) {
        entered.set_value();
        std::this_thread::sleep_for(200ms);
        finished = true;
    });
    bus.publish("status", "{}");
    entered.get_future().wait();
    bus.unsubscribe(id);
    EXPECT_TRUE(finished.load()) << "unsubscribe returned while the delivery was still running";
}

TEST_F(EventBusTest, AThousandSubscribersEachGetTheEvent) {
    EventBus bus(io_.get_executor());
    std::atomic<int> received{0};
    for (int i = 0; i < 1000; ++i) {
        bus.subscribe({.topic_prefix = "health"},
                      [&](const std::string&, const std::string&) { ++received; });
    }
    bus.publish("health", R"({"service":"redis","healthy":true})");
    for (int waited = 0; received.load() < 1000 && waited < 5000; waited += 5) {
        std::this_thread::sleep_for(5ms);
    }
    EXPECT_EQ(received.load(), 1000);
}

}  // namespace
}  // namespace envmgr::host::events
