// A probe kind's typed parameters (probe_params.h): read from the spec's `params` section, with
// each problem naming its field, and handed to check() only when valid.
#include <envmgr/sdk/sdk.h>
#include <envmgr/sdk/testing/fake_host.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace envmgr::sdk {
namespace {

struct HandshakeParams {
    bool require_tls = false;
    int attempts = 1;
    double backoff_ratio = 1.5;
    std::string greeting = "HELLO";
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HandshakeParams, require_tls, attempts, backoff_ratio,
                                                greeting)

std::vector<std::string> validate(const HandshakeParams& params) {
    if (params.attempts < 1) return {"attempts: must be >= 1"};
    return {};
}

std::string problem_of(const std::string& params_json) {
    try {
        read_probe_params<HandshakeParams>(nlohmann::json::parse(params_json));
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ENVMGR_STATUS_INVALID);
        return error.what();
    }
    return "";
}

TEST(ProbeParams, MissingKeysKeepTheirDefaultsAndGivenOnesAreRead) {
    const auto read = read_probe_params<HandshakeParams>(R"({"require_tls": true, "backoff_ratio": 2})"_json);
    EXPECT_TRUE(read.require_tls);
    EXPECT_EQ(read.attempts, 1);
    EXPECT_DOUBLE_EQ(read.backoff_ratio, 2.0);  // an integer stands where a number is expected
    EXPECT_EQ(read.greeting, "HELLO");
    EXPECT_EQ(read_probe_params<HandshakeParams>(nullptr).attempts, 1);
}

TEST(ProbeParams, EachProblemNamesItsField) {
    EXPECT_EQ(problem_of(R"({"require_tls": "yes"})"),
              "params.require_tls: expected a boolean, got a string");
    EXPECT_EQ(problem_of(R"({"attempts": 1.5})"), "params.attempts: expected an integer, got a number");
    EXPECT_EQ(problem_of(R"({"path": "/health"})"),
              "params.path: not a parameter of this probe (it has: attempts, backoff_ratio, greeting, "
              "require_tls)");
    EXPECT_EQ(problem_of(R"({"attempts": 0})"), "params.attempts: must be >= 1");
    EXPECT_EQ(problem_of(R"([1])"), "params: expected an object");
}

class HandshakeProbe : public ProbePlugin {
public:
    static constexpr const char* id = "probe.params-test";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "test";
    static constexpr const char* probe_type = "handshake";
    using Params = HandshakeParams;

    HandshakeProbe(const Host& host, const nlohmann::json&) : ProbePlugin(host) {}

    envmgr_operation_id check(const ProbeSpec&, const Params& params, const Completion& done) {
        done.ok(nlohmann::json{{"healthy", true}, {"message", params.greeting}}.dump());
        return 1;
    }
    void cancel(envmgr_operation_id) {}
};

Result check_through_the_abi(const std::string& spec_json) {
    testing::FakeHost host;
    const auto& descriptor = *detail::descriptor_for<HandshakeProbe>();
    envmgr_plugin_instance* instance = nullptr;
    char error[ENVMGR_ERROR_BUFFER_SIZE] = {};
    EXPECT_EQ(descriptor.create(host.api(), "{}", &instance, error, sizeof error), ENVMGR_STATUS_OK) << error;
    std::optional<Result> result;
    const auto callbacks = make_callbacks([&result](Result r) { result = std::move(r); });
    static_cast<const envmgr_probe_api*>(descriptor.kind_api)->check(instance, spec_json.c_str(), &callbacks);
    descriptor.destroy(instance);
    EXPECT_TRUE(result.has_value());
    return result.value_or(Result{});
}

TEST(ProbeParams, TheExportGlueReadsThemBeforeCheckRuns) {
    const Result good = check_through_the_abi(R"({"type": "handshake", "params": {"greeting": "EHLO"}})");
    EXPECT_EQ(good.status, ENVMGR_STATUS_OK);
    EXPECT_EQ(nlohmann::json::parse(good.payload).at("message"), "EHLO");

    const Result bad = check_through_the_abi(R"({"type": "handshake", "params": {"greeting": 7}})");
    EXPECT_EQ(bad.status, ENVMGR_STATUS_INVALID);
    EXPECT_EQ(bad.payload, "params.greeting: expected a string, got an integer");
}

}  // namespace
}  // namespace envmgr::sdk
