#include "host/runtime/memory_trim.h"

#include <boost/asio/post.hpp>

#include <malloc.h>
#include <unistd.h>

#include <fstream>

namespace envmgr::host::runtime {
namespace {

std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0;
    std::size_t resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

MemoryTrim::MemoryTrim(boost::asio::io_context& io, std::shared_ptr<spdlog::logger> logger,
                       std::chrono::seconds interval, std::size_t threshold)
    : strand_(boost::asio::make_strand(io)),
      timer_(strand_),
      logger_(std::move(logger)),
      interval_(interval),
      threshold_(threshold) {}

void MemoryTrim::start() {
    boost::asio::post(strand_, [this] { arm(); });
}

void MemoryTrim::stop() {
    stopped_ = true;
    boost::asio::post(strand_, [this] { timer_.cancel(); });
}

void MemoryTrim::arm() {
    if (stopped_) return;
    timer_.expires_after(interval_);
    timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) tick();
    });
}

std::size_t MemoryTrim::trim_if_worth_it(std::size_t threshold) {
    const auto info = mallinfo2();
    if (info.fordblks < threshold) return 0;
    const auto before = resident_bytes();
    malloc_trim(0);
    const auto after = resident_bytes();
    return before > after ? before - after : 0;
}

void MemoryTrim::tick() {
    if (const auto given_back = trim_if_worth_it(threshold_); given_back > 0) {
        logger_->debug("memory: {} KiB of freed heap given back to the system", given_back / 1024);
    }
    arm();
}

}  // namespace envmgr::host::runtime
