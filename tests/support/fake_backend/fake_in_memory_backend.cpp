#include "tests/support/fake_backend/fake_in_memory_backend.h"

#include <chrono>

namespace envmgr::tests {
namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

FakeInMemoryBackend::FakeInMemoryBackend(const sdk::Host& host, const nlohmann::json& config)
    : BackendPlugin(host) {
    for (const auto& image : config.at("images")) images_.insert(image.get<std::string>());
}

FakeInMemoryBackend::Container& FakeInMemoryBackend::find(const nlohmann::json& request) {
    const auto key = request.value("id", std::string());
    if (key.empty()) throw sdk::Error(ENVMGR_STATUS_INVALID, "id: required");
    for (auto& [container_id, container] : containers_) {
        if (container_id == key || container.spec.name == key) return container;
    }
    throw sdk::Error(ENVMGR_STATUS_NOT_FOUND, "No such container: " + key);
}

nlohmann::json FakeInMemoryBackend::inspect(const Container& c) const {
    return {{"id", c.id},
            {"name", c.spec.name},
            {"image", c.spec.image},
            {"state", c.state},
            {"running", c.state == "running"},
            {"exit_code", c.exit_code},
            {"started_at", c.started_at},
            {"labels", c.spec.labels}};
}

envmgr_operation_id FakeInMemoryBackend::invoke(std::string_view operation, const nlohmann::json& request,
                                                const sdk::Completion& done) {
    const std::lock_guard lock(mutex_);
    const envmgr_operation_id op = next_operation_++;
    if (operation == "system.ping") {
        done.ok(R"({"ok":true})");
    } else if (operation == "system.version") {
        done.ok(R"({"version":"fake","api_version":"1.41"})");
    } else if (operation == "image.inspect") {
        const auto image = request.value("image", std::string());
        if (!images_.contains(image)) throw sdk::Error(ENVMGR_STATUS_NOT_FOUND, "No such image: " + image);
        done.ok(nlohmann::json{{"id", "sha256:fake-" + image}, {"tags", {image}}}.dump());
    } else if (operation == "container.create") {
        auto spec = request.at("spec").get<sdk::ContainerSpec>();
        if (const auto errors = sdk::validate(spec); !errors.empty()) {
            throw sdk::Error(ENVMGR_STATUS_INVALID, "spec." + errors.front());
        }
        if (!images_.contains(spec.image)) {
            throw sdk::Error(ENVMGR_STATUS_NOT_FOUND, "No such image: " + spec.image);
        }
        for (const auto& [container_id, c] : containers_) {
            if (!spec.name.empty() && c.spec.name == spec.name) {
                throw sdk::Error(ENVMGR_STATUS_CONFLICT,
                                 "container name " + spec.name + " is already in use");
            }
        }
        Container container{"fake" + std::to_string(next_id_++), std::move(spec)};
        const std::string created_id = container.id;
        containers_.emplace(created_id, std::move(container));
        done.ok(nlohmann::json{{"id", created_id}}.dump());
    } else if (operation == "container.start") {
        auto& c = find(request);
        if (c.state != "running") c.started_at = unix_now();
        c.state = "running";
        done.ok();
    } else if (operation == "container.stop") {
        auto& c = find(request);
        c.state = "exited";
        done.ok(R"({"killed":false})");
    } else if (operation == "container.remove") {
        auto& c = find(request);
        if (c.state == "running" && !request.value("force", false)) {
            throw sdk::Error(ENVMGR_STATUS_CONFLICT, "cannot remove a running container; stop it or force");
        }
        containers_.erase(c.id);
        done.ok();
    } else if (operation == "container.inspect") {
        done.ok(inspect(find(request)).dump());
    } else if (operation == "container.list") {
        const auto wanted = request.value("labels", nlohmann::json::object());
        auto list = nlohmann::json::array();
        for (const auto& [container_id, c] : containers_) {
            bool match = true;
            for (const auto& [key, value] : wanted.items()) {
                const auto it = c.spec.labels.find(key);
                match = match && it != c.spec.labels.end() && it->second == value.get<std::string>();
            }
            if (match) list.push_back(inspect(c));
        }
        done.ok(nlohmann::json{{"containers", list}}.dump());
    } else {
        throw sdk::Error(ENVMGR_STATUS_UNSUPPORTED,
                         "the fake backend does not implement '" + std::string(operation) + "'");
    }
    return op;
}

}  // namespace envmgr::tests
