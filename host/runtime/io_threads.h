// The daemon's io_context on a small pool of threads, kept running (a work guard) until stop().
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>
#include <vector>

namespace envmgr::host::runtime {

class IoThreads {
public:
    explicit IoThreads(int count);
    IoThreads(const IoThreads&) = delete;
    IoThreads& operator=(const IoThreads&) = delete;
    ~IoThreads() { stop(); }

    [[nodiscard]] boost::asio::io_context& io() noexcept { return io_; }
    // Lets the threads run out of work, stops the context and joins them. Idempotent.
    void stop();

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::vector<std::thread> threads_;
};

}  // namespace envmgr::host::runtime
