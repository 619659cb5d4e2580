// An in-memory container engine behind the scheduler's BackendClient, for fast unit tests of the
// lifecycle engine: containers, images, networks and volumes as maps; every answer posted on an
// executor (never inside invoke), as a real backend answers; faults injected per operation.
#pragma once

#include "host/scheduler/backend_client.h"

#include <boost/asio/any_io_executor.hpp>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace envmgr::tests {

class FakeBackendClient : public host::scheduler::BackendClient {
public:
    explicit FakeBackendClient(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}

    std::uint64_t invoke(const std::string& operation, const nlohmann::json& request, Done done,
                         Item item) override;
    void cancel(std::uint64_t /*id*/) override {}

    // Every call of operation for `name` (a container's name, or an image for image.*; "" : any)
    // fails so from now on; with times > 0, only the next `times` calls do.
    void fail(const std::string& operation, const std::string& name, envmgr_status status,
              std::string message, int times = 0);
    void add_image(const std::string& image);
    // Container names in the order container.start was called for them.
    std::vector<std::string> started();
    std::vector<std::string> operations();  // every call, "operation name"
    std::size_t container_count();
    // Every container disappears, as a `docker rm -f` behind env-manager's back.
    void remove_all();
    // The container named name stops with exit_code (as its process ending would); its id.
    std::string exit(const std::string& name, int exit_code);
    // From now on the container named name ends with exit_code as soon as it is started: the
    // start succeeds, the engine says it is not running by the next call.
    void exit_on_start(const std::string& name, int exit_code);
    // From now on container.update puts a new spec in place, as a cluster's backend does (without
    // it the operation is UNSUPPORTED, as on one engine).
    void update_in_place() {
        const std::lock_guard lock(mutex_);
        updates_in_place_ = true;
    }

private:
    struct Container {
        std::string id;
        std::string name;
        nlohmann::json spec;
        bool running = false;
        int exit_code = 0;
        std::int64_t started_at_ns = 0;
    };
    sdk::Result answer(const std::string& operation, const nlohmann::json& request,
                       std::vector<std::string>& items);
    Container* find(const std::string& id_or_name);

    boost::asio::any_io_executor executor_;
    std::mutex mutex_;
    std::map<std::string, Container> containers_;  // by id
    std::map<std::string, std::string> ids_by_name_;
    std::set<std::string> images_;
    std::map<std::pair<std::string, std::string>, sdk::Result> faults_;
    std::map<std::pair<std::string, std::string>, int> fault_calls_left_;  // absent: every call
    std::vector<std::string> started_;
    std::map<std::string, int> exit_on_start_;  // container name -> exit code
    std::vector<std::string> operations_;
    bool updates_in_place_ = false;
    int next_id_ = 1;
    std::int64_t clock_ns_ = 1'000'000'000;
};

}  // namespace envmgr::tests
