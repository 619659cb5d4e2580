#include <envmgr/kit/io_thread.h>

#include <exception>

namespace envmgr::kit {

IoThread::IoThread(std::function<void(const std::string&)> on_handler_exception)
    : work_(boost::asio::make_work_guard(io_)), ran_out_future_(ran_out_.get_future()) {
    thread_ = std::thread([this, report = std::move(on_handler_exception)] {
        // A handler that throws must not take the plugin down with it.
        for (;;) {
            try {
                io_.run();
                break;
            } catch (const std::exception& e) {
                if (report) report(e.what());
            } catch (...) {
                if (report) report("unknown exception");
            }
        }
        ran_out_.set_value();
    });
}

IoThread::~IoThread() {
    shutdown();
}

bool IoThread::in_this_thread() const noexcept {
    return thread_.get_id() == std::this_thread::get_id();
}

void IoThread::shutdown(std::chrono::milliseconds bound) {
    if (!thread_.joinable()) return;
    work_.reset();
    // run() returns once nothing is left to do; should something still hold it (a stuck
    // peer, a timer), it is stopped after the bound.
    if (ran_out_future_.wait_for(bound) != std::future_status::ready) io_.stop();
    thread_.join();
}

}  // namespace envmgr::kit
