// The server streams a frontend has open (StartServices, StreamHealth, PullImages, StreamLogs),
// so that a shutdown ends them at once with a status clients understand (UNAVAILABLE: the
// daemon is going away; call again later) instead of waiting out a grace period on streams that
// never end by themselves. Any thread.
#pragma once

#include <grpcpp/support/status.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace envmgr::plugins::frontends::grpc_frontend {

class OpenStreams {
public:
    using Closer = std::function<void(const grpc::Status&)>;

    // Registers a stream's closer; 0 when closing has begun (the closer then ran at once).
    std::uint64_t add(Closer closer) {
        {
            const std::lock_guard lock(mutex_);
            if (!closed_) {
                const auto id = next_id_++;
                closers_.emplace(id, std::move(closer));
                return id;
            }
        }
        closer(closing_status_);
        return 0;
    }
    void remove(std::uint64_t id) {
        const std::lock_guard lock(mutex_);
        closers_.erase(id);
    }
    // Ends every open stream with status, and every stream added from now on.
    void close_all(const grpc::Status& status) {
        std::map<std::uint64_t, Closer> closing;
        {
            const std::lock_guard lock(mutex_);
            closed_ = true;
            closing_status_ = status;
            closing.swap(closers_);
        }
        for (auto& [id, closer] : closing) closer(status);  // outside the lock: a closer may remove
    }
    [[nodiscard]] std::size_t size() const {
        const std::lock_guard lock(mutex_);
        return closers_.size();
    }

private:
    mutable std::mutex mutex_;
    std::map<std::uint64_t, Closer> closers_;
    std::uint64_t next_id_ = 1;
    bool closed_ = false;
    grpc::Status closing_status_;
};

}  // namespace envmgr::plugins::frontends::grpc_frontend
