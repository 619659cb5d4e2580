// Test double: a backend that keeps containers in memory, so scheduler logic can be unit
// tested fast and without an engine. Never installed, never used as the only proof.
#pragma once

#include <envmgr/sdk/sdk.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace envmgr::tests {

class FakeInMemoryBackend : public sdk::BackendPlugin {
public:
    static constexpr const char* id = "backend.fake-in-memory";
    static constexpr const char* version = "0.1.0";
    static constexpr const char* description = "test double: containers kept in memory";

    static const char* config_schema() {
        return R"({"images": {"type": "array", "default": [],
                              "description": "image names that exist locally"}})";
    }

    FakeInMemoryBackend(const sdk::Host& host, const nlohmann::json& config);

    envmgr_operation_id invoke(std::string_view operation, const nlohmann::json& request,
                               const sdk::Completion& done);
    void cancel(envmgr_operation_id) {}

private:
    struct Container {
        std::string id;
        sdk::ContainerSpec spec;
        std::string state = "created";  // created | running | exited
        std::int64_t exit_code = 0;
        std::int64_t started_at = 0;
    };

    nlohmann::json inspect(const Container& container) const;
    Container& find(const nlohmann::json& request);

    std::mutex mutex_;
    std::set<std::string> images_;
    std::map<std::string, Container> containers_;  // by id
    std::uint64_t next_id_ = 1;
    envmgr_operation_id next_operation_ = 1;
};

}  // namespace envmgr::tests
