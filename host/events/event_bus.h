// The host's event bus: publishers (the lifecycle engine, the health supervisor) push JSON
// events by topic; each subscription selects topics by prefix and has its own bounded queue,
// drained on the host's executor. A slow subscriber loses its own oldest events (counted, and
// reported to it as a "dropped" event when it asked for that), never blocks a publisher or
// another subscriber. Publishing costs one queue push per matching subscription.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace envmgr::host::events {

struct SubscriptionOptions {
    std::string topic_prefix;     // "" : every topic
    std::size_t queue_depth = 0;  // 0 : kDefaultQueueDepth
    bool report_dropped = true;   // a "dropped" event, {"dropped": N}, after a loss
};

class EventBus {
public:
    static constexpr std::size_t kDefaultQueueDepth = 1024;
    static constexpr std::size_t kMaxQueueDepth = 1U << 20U;
    // Events of one subscription delivered per task before yielding to other work.
    static constexpr std::size_t kBatch = 64;

    // (topic, event_json); runs on the executor, never concurrently for one subscription.
    using Deliver = std::function<void(const std::string& topic, const std::string& event_json)>;

    explicit EventBus(boost::asio::any_io_executor executor);
    EventBus(const EventBus&) = delete;
    EventBus& operator=(const EventBus&) = delete;
    ~EventBus();

    // Returns an id > 0.
    std::uint64_t subscribe(SubscriptionOptions options, Deliver deliver);
    // When it returns, deliver of that subscription is not running and will not run again;
    // from inside that subscription's own deliver it returns at once (no event follows the
    // running one). Unknown ids are ignored.
    void unsubscribe(std::uint64_t id);

    // Any thread. event_json is copied once and shared by every queue it lands in.
    void publish(std::string_view topic, std::string event_json);

    // Events lost by slow subscribers, by topic, since the bus was made.
    [[nodiscard]] std::map<std::string, std::uint64_t> dropped_by_topic() const;
    [[nodiscard]] std::size_t subscription_count() const;

private:
    class Subscription;

    boost::asio::any_io_executor executor_;
    mutable std::shared_mutex subscriptions_mutex_;
    std::map<std::uint64_t, std::shared_ptr<Subscription>> subscriptions_;
    std::atomic<std::uint64_t> next_id_{1};
    mutable std::mutex dropped_mutex_;
    std::map<std::string, std::uint64_t, std::less<>> dropped_;
};

}  // namespace envmgr::host::events
