#include "tests/support/fake_backend_client.h"

#include <boost/asio/post.hpp>

namespace envmgr::tests {

void FakeBackendClient::fail(const std::string& operation, const std::string& name, envmgr_status status,
                             std::string message, int times) {
    const std::lock_guard lock(mutex_);
    faults_[{operation, name}] = {status, std::move(message)};
    if (times > 0) {
        fault_calls_left_[{operation, name}] = times;
    } else {
        fault_calls_left_.erase({operation, name});
    }
}

void FakeBackendClient::add_image(const std::string& image) {
    const std::lock_guard lock(mutex_);
    images_.insert(image);
}

std::vector<std::string> FakeBackendClient::started() {
    const std::lock_guard lock(mutex_);
    return started_;
}

std::vector<std::string> FakeBackendClient::operations() {
    const std::lock_guard lock(mutex_);
    return operations_;
}

std::size_t FakeBackendClient::container_count() {
    const std::lock_guard lock(mutex_);
    return containers_.size();
}

void FakeBackendClient::remove_all() {
    const std::lock_guard lock(mutex_);
    containers_.clear();
    ids_by_name_.clear();
}

std::string FakeBackendClient::exit(const std::string& name, int exit_code) {
    const std::lock_guard lock(mutex_);
    auto* container = find(name);
    if (container == nullptr) return {};
    container->running = false;
    container->exit_code = exit_code;
    return container->id;
}

void FakeBackendClient::exit_on_start(const std::string& name, int exit_code) {
    const std::lock_guard lock(mutex_);
    exit_on_start_[name] = exit_code;
}

FakeBackendClient::Container* FakeBackendClient::find(const std::string& id_or_name) {
    if (const auto by_id = containers_.find(id_or_name); by_id != containers_.end()) return &by_id->second;
    const auto by_name = ids_by_name_.find(id_or_name);
    return by_name == ids_by_name_.end() ? nullptr : &containers_.at(by_name->second);
}

std::uint64_t FakeBackendClient::invoke(const std::string& operation, const nlohmann::json& request,
                                        Done done, Item item) {
    std::vector<std::string> items;
    sdk::Result result;
    {
        const std::lock_guard lock(mutex_);
        result = answer(operation, request, items);
    }
    boost::asio::post(executor_, [done = std::move(done), item = std::move(item), items, result] {
        if (item) {
            for (const auto& text : items) item(text);
        }
        done(result);
    });
    return 0;
}

sdk::Result FakeBackendClient::answer(const std::string& operation, const nlohmann::json& request,
                                      std::vector<std::string>& items) {
    std::string name = request.contains("spec")    ? request["spec"].value("name", "")
                       : request.contains("image") ? request.value("image", "")
                                                   : request.value("id", "");
    if (auto* container = find(name)) name = container->name;
    operations_.emplace_back(operation + " " + name);
    for (const auto& target : {name, std::string()}) {
        if (const auto fault = faults_.find({operation, target}); fault != faults_.end()) {
            auto result = fault->second;
            if (const auto left = fault_calls_left_.find(fault->first);
                left != fault_calls_left_.end() && --left->second == 0) {
                fault_calls_left_.erase(left);
                faults_.erase(fault);
            }
            return result;
        }
    }
    if (operation == "network.ensure" || operation == "volume.ensure") {
        return {ENVMGR_STATUS_OK, R"({"created":true})"};
    }
    if (operation == "image.inspect") {
        return images_.contains(request.value("image", ""))
                   ? sdk::Result{ENVMGR_STATUS_OK, "{}"}
                   : sdk::Result{ENVMGR_STATUS_NOT_FOUND, "no such image"};
    }
    if (operation == "image.pull") {
        images_.insert(request.value("image", ""));
        items.emplace_back(R"({"progress_percent": 50})");
        return {ENVMGR_STATUS_OK, "{}"};
    }
    if (operation == "container.list") {
        auto list = nlohmann::json::array();
        for (const auto& [id, container] : containers_) {
            list.push_back({{"id", id},
                            {"name", container.name},
                            {"state", container.running ? "running" : "exited"},
                            {"labels", container.spec.value("labels", nlohmann::json::object())}});
        }
        return {ENVMGR_STATUS_OK, nlohmann::json{{"containers", list}}.dump()};
    }
    if (operation == "container.create") {
        if (find(request["spec"].value("name", "")) != nullptr) {
            return {ENVMGR_STATUS_CONFLICT, "name in use"};
        }
        const std::string id = "c" + std::to_string(next_id_++);
        containers_[id] = {id, request["spec"].value("name", ""), request["spec"], false};
        ids_by_name_[containers_[id].name] = id;
        return {ENVMGR_STATUS_OK, nlohmann::json{{"id", id}}.dump()};
    }
    auto* container = find(request.value("id", ""));
    if (container == nullptr) return {ENVMGR_STATUS_NOT_FOUND, "no such container"};
    if (operation == "container.start") {
        container->started_at_ns = ++clock_ns_;
        const auto exits = exit_on_start_.find(container->name);
        container->running = exits == exit_on_start_.end();
        if (!container->running) container->exit_code = exits->second;
        started_.push_back(container->name);
        return {ENVMGR_STATUS_OK, R"({"already_running":false})"};
    }
    if (operation == "container.inspect") {
        return {ENVMGR_STATUS_OK, nlohmann::json{{"id", container->id},
                                                 {"state", container->running ? "running" : "exited"},
                                                 {"running", container->running},
                                                 {"exit_code", container->exit_code},
                                                 {"ip_address", "10.0.0.2"},
                                                 {"started_at", 1},
                                                 {"started_at_ns", container->started_at_ns},
                                                 {"ports", nlohmann::json::array()}}
                                      .dump()};
    }
    if (operation == "container.stats") {
        return {
            ENVMGR_STATUS_OK,
            R"({"cpu_percent": 1.5, "memory_bytes": 1024, "network_rx_bytes": 7, "network_tx_bytes": 9})"};
    }
    if (operation == "container.stop") {
        container->running = false;
        return {ENVMGR_STATUS_OK, R"({"killed":false})"};
    }
    if (operation == "container.update" && updates_in_place_) {
        container->spec = request["spec"];
        return {ENVMGR_STATUS_OK, nlohmann::json{{"running", container->running}}.dump()};
    }
    if (operation == "container.remove") {
        ids_by_name_.erase(container->name);
        containers_.erase(container->id);
        return {ENVMGR_STATUS_OK, "{}"};
    }
    return {ENVMGR_STATUS_UNSUPPORTED, operation};
}

}  // namespace envmgr::tests
