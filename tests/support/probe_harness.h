// Runs a probe plugin class through its ABI descriptor with the SDK's fake host, as the host
// would: create, check (a JSON spec), cancel, destroy. For the probes' unit tests.
#pragma once

#include <envmgr/sdk/sdk.h>
#include <envmgr/sdk/testing/fake_host.h>

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>

namespace envmgr::tests {

struct CheckCall {
    envmgr_operation_id id = 0;
    std::shared_ptr<std::promise<sdk::Result>> result = std::make_shared<std::promise<sdk::Result>>();
    std::shared_future<sdk::Result> future = result->get_future().share();

    // The probe result document of an OK completion ({} otherwise), after waiting for it.
    [[nodiscard]] sdk::Result wait(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
        if (future.wait_for(timeout) != std::future_status::ready) {
            return {ENVMGR_STATUS_TIMEOUT, "no completion"};
        }
        return future.get();
    }
};

template <typename Probe>
class ProbeHarness {
public:
    explicit ProbeHarness(const std::string& config = "{}")
        : descriptor_(*sdk::detail::descriptor_for<Probe>()) {
        char error[ENVMGR_ERROR_BUFFER_SIZE] = {};
        const auto status = descriptor_.create(host.api(), config.c_str(), &instance_, error, sizeof error);
        EXPECT_EQ(status, ENVMGR_STATUS_OK) << error;
    }
    ~ProbeHarness() { descriptor_.destroy(instance_); }
    ProbeHarness(const ProbeHarness&) = delete;
    ProbeHarness& operator=(const ProbeHarness&) = delete;

    CheckCall start(const nlohmann::json& spec) {
        CheckCall call;
        const auto callbacks =
            sdk::make_callbacks([promise = call.result](sdk::Result r) { promise->set_value(std::move(r)); });
        call.id = table().check(instance_, spec.dump().c_str(), &callbacks);
        return call;
    }
    sdk::Result check(const nlohmann::json& spec) { return start(spec).wait(); }
    void cancel(envmgr_operation_id id) { table().cancel(instance_, id); }

    sdk::testing::FakeHost host;

private:
    [[nodiscard]] const envmgr_probe_api& table() const {
        return *static_cast<const envmgr_probe_api*>(descriptor_.kind_api);
    }

    const envmgr_plugin_descriptor& descriptor_;
    envmgr_plugin_instance* instance_ = nullptr;
};

// The probe result of an OK completion.
inline sdk::ProbeResult probe_result(const sdk::Result& result) {
    EXPECT_TRUE(result.ok()) << result.payload;
    return result.ok() ? nlohmann::json::parse(result.payload).get<sdk::ProbeResult>() : sdk::ProbeResult{};
}

}  // namespace envmgr::tests
