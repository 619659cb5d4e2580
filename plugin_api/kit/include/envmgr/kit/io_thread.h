// One io_context run by one thread that a plugin owns, with a bounded shutdown. Shared by the
// plugins that do their own I/O (the Docker backend; the probes and the metrics frontend).
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <thread>

namespace envmgr::kit {

class IoThread {
public:
    // on_handler_exception: told what a handler threw; the thread then goes on running.
    explicit IoThread(std::function<void(const std::string&)> on_handler_exception);
    IoThread(const IoThread&) = delete;
    IoThread& operator=(const IoThread&) = delete;
    // Shuts down with a bound of kDefaultShutdownBound if shutdown() was not called.
    ~IoThread();

    static constexpr std::chrono::milliseconds kDefaultShutdownBound{2000};

    [[nodiscard]] boost::asio::io_context& context() noexcept { return io_; }
    [[nodiscard]] bool in_this_thread() const noexcept;

    // Lets queued and in-flight work run out for at most `bound`, then stops the context and
    // joins the thread: destroy must not hang on a handler that never ends. Idempotent.
    // Precondition: not called from the io thread itself (it cannot join itself).
    void shutdown(std::chrono::milliseconds bound = kDefaultShutdownBound);

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::promise<void> ran_out_;
    std::future<void> ran_out_future_;
    std::thread thread_;
};

}  // namespace envmgr::kit
