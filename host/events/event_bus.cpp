#include "host/events/event_bus.h"

#include <boost/asio/post.hpp>

#include <condition_variable>
#include <deque>
#include <thread>
#include <utility>

namespace envmgr::host::events {
namespace {

struct Event {
    std::string topic;
    std::string json;
};

}  // namespace

class EventBus::Subscription : public std::enable_shared_from_this<EventBus::Subscription> {
public:
    Subscription(SubscriptionOptions options, Deliver deliver, boost::asio::any_io_executor executor)
        : options_(std::move(options)), deliver_(std::move(deliver)), executor_(std::move(executor)) {
        if (options_.queue_depth == 0) options_.queue_depth = kDefaultQueueDepth;
        options_.queue_depth = std::min(options_.queue_depth, kMaxQueueDepth);
    }

    [[nodiscard]] bool matches(std::string_view topic) const noexcept {
        return topic.starts_with(options_.topic_prefix);
    }

    // Returns true when the queue was full and its oldest event was dropped.
    bool push(const std::shared_ptr<const Event>& event) {
        bool dropped = false;
        bool schedule = false;
        {
            const std::lock_guard lock(mutex_);
            if (closed_) return false;
            if (queue_.size() >= options_.queue_depth) {
                queue_.pop_front();
                ++dropped_since_report_;
                dropped = true;
            }
            queue_.push_back(event);
            schedule = !scheduled_;
            scheduled_ = true;
        }
        if (schedule) post_drain();
        return dropped;
    }

    void close() {
        std::unique_lock lock(mutex_);
        closed_ = true;
        queue_.clear();
        // From inside this subscription's own delivery: do not wait for ourselves.
        if (delivering_ && delivering_thread_ == std::this_thread::get_id()) return;
        idle_.wait(lock, [this] { return !delivering_; });
    }

private:
    void post_drain() {
        boost::asio::post(executor_, [self = shared_from_this()] { self->drain(); });
    }

    void drain() {
        for (std::size_t delivered = 0;; ++delivered) {
            std::shared_ptr<const Event> next;
            std::uint64_t dropped = 0;
            {
                const std::lock_guard lock(mutex_);
                if (closed_ || (queue_.empty() && (dropped_since_report_ == 0 || !options_.report_dropped))) {
                    scheduled_ = false;
                    return;
                }
                if (delivered == kBatch) break;  // let other work run; continue in a new task
                if (dropped_since_report_ > 0 && options_.report_dropped) {
                    dropped = std::exchange(dropped_since_report_, 0);
                } else {
                    next = std::move(queue_.front());
                    queue_.pop_front();
                }
                delivering_ = true;
                delivering_thread_ = std::this_thread::get_id();
            }
            try {
                if (next) {
                    deliver_(next->topic, next->json);
                } else {
                    static const std::string kDroppedTopic = "dropped";
                    deliver_(kDroppedTopic, R"({"dropped":)" + std::to_string(dropped) + "}");
                }
            } catch (...) {  // a subscriber's failure stays its own
            }
            {
                const std::lock_guard lock(mutex_);
                delivering_ = false;
            }
            idle_.notify_all();
        }
        post_drain();
    }

    SubscriptionOptions options_;
    Deliver deliver_;
    boost::asio::any_io_executor executor_;

    std::mutex mutex_;
    std::condition_variable idle_;
    std::deque<std::shared_ptr<const Event>> queue_;
    std::uint64_t dropped_since_report_ = 0;
    bool scheduled_ = false;  // a drain task is queued or running
    bool delivering_ = false;
    std::thread::id delivering_thread_;
    bool closed_ = false;
};

EventBus::EventBus(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}

EventBus::~EventBus() {
    std::map<std::uint64_t, std::shared_ptr<Subscription>> remaining;
    {
        const std::unique_lock lock(subscriptions_mutex_);
        remaining.swap(subscriptions_);
    }
    for (auto& [id, subscription] : remaining) subscription->close();
}

std::uint64_t EventBus::subscribe(SubscriptionOptions options, Deliver deliver) {
    const std::uint64_t id = next_id_++;
    auto subscription = std::make_shared<Subscription>(std::move(options), std::move(deliver), executor_);
    const std::unique_lock lock(subscriptions_mutex_);
    subscriptions_.emplace(id, std::move(subscription));
    return id;
}

void EventBus::unsubscribe(std::uint64_t id) {
    std::shared_ptr<Subscription> subscription;
    {
        const std::unique_lock lock(subscriptions_mutex_);
        const auto it = subscriptions_.find(id);
        if (it == subscriptions_.end()) return;
        subscription = std::move(it->second);
        subscriptions_.erase(it);
    }
    subscription->close();
}

void EventBus::publish(std::string_view topic, std::string event_json) {
    const auto event = std::make_shared<const Event>(Event{std::string(topic), std::move(event_json)});
    std::uint64_t dropped = 0;
    {
        const std::shared_lock lock(subscriptions_mutex_);
        for (const auto& [id, subscription] : subscriptions_) {
            if (subscription->matches(topic) && subscription->push(event)) ++dropped;
        }
    }
    if (dropped > 0) {
        const std::lock_guard lock(dropped_mutex_);
        const auto it = dropped_.find(topic);
        if (it == dropped_.end()) {
            dropped_.emplace(std::string(topic), dropped);
        } else {
            it->second += dropped;
        }
    }
}

std::map<std::string, std::uint64_t> EventBus::dropped_by_topic() const {
    const std::lock_guard lock(dropped_mutex_);
    return {dropped_.begin(), dropped_.end()};
}

std::size_t EventBus::subscription_count() const {
    const std::shared_lock lock(subscriptions_mutex_);
    return subscriptions_.size();
}

}  // namespace envmgr::host::events
