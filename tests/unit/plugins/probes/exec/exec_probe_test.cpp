// probe.exec with the SDK's fake host standing in for the daemon and its backend.
#include "plugins/probes/exec/exec_probe.h"
#include "plugins/probes/exec/exec_verdict.h"
#include "tests/support/probe_harness.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::probes::exec {
namespace {

using tests::probe_result;
using Harness = tests::ProbeHarness<ExecProbe>;
using sdk::testing::FakeHost;

const nlohmann::json kSpec{
    {"type", "exec"}, {"container_id", "abc"}, {"command", {"pg_isready"}}, {"timeout_ms", 700}};

TEST(ExecVerdict, ExitZeroIsReadyAndOtherwiseTheCodeAndWhatTheCommandSaid) {
    EXPECT_TRUE(judge_exec({{"exit_code", 0}}).healthy);
    EXPECT_EQ(judge_exec({{"exit_code", 2}, {"stderr", "\nno response\nmore"}, {"stdout", ""}}).message,
              "exit 2: no response");
    EXPECT_EQ(
        judge_exec({{"exit_code", 126}, {"stdout", "exec: \"nope\": executable file not found"}}).message,
        "exit 126: exec: \"nope\": executable file not found");
    EXPECT_EQ(judge_exec({{"exit_code", 1}}).message, "exit 1");
}

TEST(ExecProbe, RunsTheCommandInTheContainerThroughTheBackend) {
    Harness probe;
    probe.host.answer_backend([](FakeHost& host, const FakeHost::Call& call) {
        host.complete(call.id, ENVMGR_STATUS_OK, R"({"exit_code":0,"stdout":"accepting","stderr":""})");
    });
    const auto result = probe_result(probe.check(kSpec));
    EXPECT_TRUE(result.healthy);
    EXPECT_EQ(result.message, "exit 0");
    const auto calls = probe.host.backend_calls();
    ASSERT_EQ(calls.size(), 1U);
    EXPECT_EQ(calls[0].operation, "container.exec");
    EXPECT_EQ(nlohmann::json::parse(calls[0].request_json),
              (nlohmann::json{{"id", "abc"}, {"command", {"pg_isready"}}, {"timeout_ms", 700}}));
}

TEST(ExecProbe, ANotRunningContainerIsNotReadyAndNoBackendMeansTheProbeCouldNotRun) {
    Harness probe;
    probe.host.answer_backend([](FakeHost& host, const FakeHost::Call& call) {
        host.complete(call.id, ENVMGR_STATUS_CONFLICT, "Container abc is not running");
    });
    const auto stopped = probe_result(probe.check(kSpec));
    EXPECT_FALSE(stopped.healthy);
    EXPECT_EQ(stopped.message, "Container abc is not running");

    probe.host.answer_backend([](FakeHost& host, const FakeHost::Call& call) {
        host.complete(call.id, ENVMGR_STATUS_UNAVAILABLE, "no backend plugin is loaded");
    });
    const auto no_backend = probe.check(kSpec);
    EXPECT_EQ(no_backend.status, ENVMGR_STATUS_UNAVAILABLE);
    EXPECT_EQ(no_backend.payload, "no backend plugin is loaded");
}

TEST(ExecProbe, CancelCancelsTheBackendCall) {
    Harness probe;  // calls stay pending
    const auto call = probe.start(kSpec);
    ASSERT_NE(call.id, 0U);
    probe.cancel(call.id);
    EXPECT_EQ(call.wait().status, ENVMGR_STATUS_CANCELLED);
    ASSERT_EQ(probe.host.backend_calls().size(), 1U);
    EXPECT_TRUE(probe.host.backend_calls()[0].cancelled);
}

TEST(ExecProbe, WithoutAContainerItRefusesTheSpec) {
    Harness probe;
    const auto result = probe.check({{"type", "exec"}, {"command", {"true"}}});
    EXPECT_EQ(result.status, ENVMGR_STATUS_INVALID);
    EXPECT_EQ(result.payload, "container_id: required for an exec check");
}

}  // namespace
}  // namespace envmgr::plugins::probes::exec
