// A server stream fed from any thread (manager-operation items, bus events, timers): messages
// are queued and written one at a time, the stream ends after what is queued is written. The
// channel outlives the gRPC call as long as a producer holds it, so a late producer only finds
// the stream over. A client that goes away (or a deadline) empties the queue and ends the
// stream; on_end runs once either way, so producers (subscriptions, timers) stop at once.
#pragma once

#include <grpcpp/support/server_callback.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace envmgr::plugins::frontends::grpc_frontend {

template <class Message>
class StreamChannel : public std::enable_shared_from_this<StreamChannel<Message>> {
public:
    // max_queue: queued messages beyond it drop the oldest (0: no bound).
    static std::shared_ptr<StreamChannel> make(std::size_t max_queue) {
        return std::shared_ptr<StreamChannel>(new StreamChannel(max_queue));
    }

    // Handed to gRPC once; the channel keeps itself alive until the call is done.
    grpc::ServerWriteReactor<Message>* reactor() {
        keep_alive_ = this->shared_from_this();
        return &reactor_;
    }

    // Runs once when the call ends: at once when the client goes away or the call is cancelled,
    // else when gRPC is done with it. Set it before producing.
    void on_end(std::function<void()> hook) {
        {
            const std::lock_guard lock(mutex_);
            if (!gone_) {
                on_end_ = std::move(hook);
                return;
            }
        }
        hook();  // the call is over already: what it would stop stops now
    }

    // Any thread. False once the stream is ending.
    bool push(Message message) {
        bool start = false;
        {
            const std::lock_guard lock(mutex_);
            if (ending_) return false;
            if (max_queue_ != 0 && queue_.size() >= max_queue_) {
                queue_.pop_front();
                ++dropped_;
            }
            queue_.push_back(std::move(message));
            start = take_next_locked();
        }
        if (start) reactor_.StartWrite(&current_);
        return true;
    }

    // Any thread: ends the stream with status once what is queued is written. Later calls and
    // pushes are ignored.
    void finish(const grpc::Status& status) {
        bool send = false;
        {
            const std::lock_guard lock(mutex_);
            if (ending_) return;
            ending_ = true;
            final_ = status;
            send = finish_due_locked();
        }
        if (send) reactor_.Finish(final_);
    }

    [[nodiscard]] bool over() const {
        const std::lock_guard lock(mutex_);
        return ending_;
    }
    [[nodiscard]] std::size_t dropped() const {
        const std::lock_guard lock(mutex_);
        return dropped_;
    }

private:
    class Reactor final : public grpc::ServerWriteReactor<Message> {
    public:
        explicit Reactor(StreamChannel* channel) : channel_(channel) {}
        void OnWriteDone(bool ok) override { channel_->written(ok); }
        void OnCancel() override { channel_->cancelled(); }
        void OnDone() override { channel_->done(); }

    private:
        StreamChannel* channel_;
    };

    explicit StreamChannel(std::size_t max_queue) : max_queue_(max_queue), reactor_(this) {}

    // With the lock: whether a write starts now (then current_ holds it).
    bool take_next_locked() {
        if (writing_ || queue_.empty() || gone_) return false;
        current_ = std::move(queue_.front());
        queue_.pop_front();
        writing_ = true;
        return true;
    }
    // With the lock: whether Finish is to be sent now.
    bool finish_due_locked() {
        if (!ending_ || writing_ || finish_sent_ || (!queue_.empty() && !gone_)) return false;
        finish_sent_ = true;
        return true;
    }

    void written(bool ok) {
        if (!ok) {
            // The client is gone: nothing more reaches it; end as a cancellation does.
            {
                const std::lock_guard lock(mutex_);
                writing_ = false;
            }
            return cancelled();
        }
        bool start = false;
        bool send = false;
        {
            const std::lock_guard lock(mutex_);
            writing_ = false;
            start = take_next_locked();
            send = !start && finish_due_locked();
        }
        if (start) reactor_.StartWrite(&current_);
        if (send) reactor_.Finish(final_);
    }

    void cancelled() {
        std::function<void()> hook;
        bool send = false;
        {
            const std::lock_guard lock(mutex_);
            gone_ = true;
            queue_.clear();
            if (!ending_) {
                ending_ = true;
                final_ = grpc::Status::CANCELLED;
            }
            hook = std::move(on_end_);
            on_end_ = nullptr;
            send = finish_due_locked();
        }
        if (hook) hook();  // outside the lock: it may unsubscribe and wait for a delivery
        if (send) reactor_.Finish(final_);
    }

    void done() {
        std::shared_ptr<StreamChannel> last;
        std::function<void()> hook;
        {
            const std::lock_guard lock(mutex_);
            ending_ = true;
            gone_ = true;
            hook = std::move(on_end_);
            on_end_ = nullptr;
            last = std::move(keep_alive_);
        }
        if (hook) hook();
        // `last` may be the final reference: the channel goes when this returns.
    }

    const std::size_t max_queue_;
    mutable std::mutex mutex_;
    std::deque<Message> queue_;
    Message current_;
    bool writing_ = false;
    bool ending_ = false;  // finish asked for, or the call is over
    bool gone_ = false;    // the client is gone
    bool finish_sent_ = false;
    grpc::Status final_;
    std::size_t dropped_ = 0;
    std::function<void()> on_end_;
    std::shared_ptr<StreamChannel> keep_alive_;
    Reactor reactor_;
};

}  // namespace envmgr::plugins::frontends::grpc_frontend
