#include "host/runtime/io_threads.h"

namespace envmgr::host::runtime {

IoThreads::IoThreads(int count) : work_(boost::asio::make_work_guard(io_)) {
    threads_.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) threads_.emplace_back([this] { io_.run(); });
}

void IoThreads::stop() {
    work_.reset();
    io_.stop();
    for (auto& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
}

}  // namespace envmgr::host::runtime
