#include <envmgr/kit/probe/async_probe.h>

#include <boost/asio/post.hpp>

#include <vector>

namespace envmgr::kit::probe {

AsyncProbe::AsyncProbe(const sdk::Host& host)
    : io_thread_([host](const std::string& what) {
          host.error("probe io thread: unexpected exception: " + what);
      }) {}

AsyncProbe::~AsyncProbe() {
    cancel_all();
    io_thread_.shutdown();
}

envmgr_operation_id AsyncProbe::start(const sdk::Completion& done, std::chrono::milliseconds timeout,
                                      std::function<void(const CheckRunPtr&)> body) {
    auto run = std::make_shared<CheckRun>(io(), done, timeout);
    const envmgr_operation_id id = next_id_++;
    {
        const std::lock_guard lock(mutex_);
        checks_.emplace(id, run);
    }
    boost::asio::post(io(), [this, id, run, body = std::move(body)] {
        run->on_finish([this, id] {
            const std::lock_guard lock(mutex_);
            checks_.erase(id);
        });
        if (run->finished()) return;  // cancelled before it began
        run->start();
        try {
            body(run);
        } catch (const std::exception& e) {
            run->error(ENVMGR_STATUS_INTERNAL, e.what());
        }
    });
    return id;
}

void AsyncProbe::cancel(envmgr_operation_id id) {
    CheckRunPtr run;
    {
        const std::lock_guard lock(mutex_);
        const auto it = checks_.find(id);
        if (it == checks_.end()) return;
        run = it->second;
    }
    boost::asio::post(io(), [run] { run->cancel(); });
}

void AsyncProbe::cancel_all() {
    std::vector<CheckRunPtr> runs;
    {
        const std::lock_guard lock(mutex_);
        for (const auto& [id, run] : checks_) runs.push_back(run);
    }
    for (const auto& run : runs) boost::asio::post(io(), [run] { run->cancel(); });
}

void AsyncProbe::stop(const sdk::Completion& done) {
    cancel_all();
    boost::asio::post(io(), [done] { done.ok(); });
}

}  // namespace envmgr::kit::probe
