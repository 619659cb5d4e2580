// Gives freed heap memory back to the system. glibc keeps what a burst of calls freed (1,000
// StreamHealth streams: about 20 MiB) in its arenas for reuse, so the daemon's RSS stays at the
// burst's peak; malloc_trim returns it (measured: 53 MiB back to 31.5 MiB, the idle level). Every
// interval, when the arenas hold at least `threshold` free bytes, they are trimmed; otherwise
// nothing is done (a check reads glibc's counters, a trim walks the arenas: milliseconds).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>

namespace envmgr::host::runtime {

class MemoryTrim {
public:
    MemoryTrim(boost::asio::io_context& io, std::shared_ptr<spdlog::logger> logger,
               std::chrono::seconds interval = std::chrono::seconds(5), std::size_t threshold = 4U << 20U);
    void start();
    // The timer is not armed again after this, and is cancelled on its strand. Before the
    // io threads stop; the object outlives them.
    void stop();

    // Trims when the arenas hold at least threshold free bytes; the bytes the process's RSS
    // gave back (0: nothing to do). Any thread.
    static std::size_t trim_if_worth_it(std::size_t threshold);

private:
    void arm();
    void tick();

    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::steady_timer timer_;
    std::atomic<bool> stopped_{false};
    std::shared_ptr<spdlog::logger> logger_;
    std::chrono::seconds interval_;
    std::size_t threshold_;
};

}  // namespace envmgr::host::runtime
