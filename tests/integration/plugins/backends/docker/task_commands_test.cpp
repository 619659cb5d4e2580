// The commands tasks run through backend.docker, against the real engine: container.exec with
// env, workdir and stdin, killed at its deadline; container.run (a throwaway container) with
// its output, exit code and stdin, killed and removed at its deadline, never left behind.
#include "tests/support/backend_harness.h"

#include <gtest/gtest.h>

#include <thread>

namespace envmgr::tests {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kBusybox = "envmgr-test/busybox:latest";

class TaskCommandsTest : public ::testing::Test {
protected:
    void SetUp() override { require_engine(); }
    void TearDown() override {
        for (const auto& name : containers_)
            backend_.call("container.remove", {{"id", name}, {"force", true}});
    }

    std::string running_container() {
        std::string name = unique_name("task-exec");
        const json spec{{"name", name},
                        {"image", kBusybox},
                        {"command", {"sleep", "120"}},
                        {"init", true},
                        {"labels", {{"envmgr.test", "1"}}}};
        EXPECT_TRUE(backend_.call("container.create", {{"spec", spec}}).ok());
        containers_.push_back(name);
        EXPECT_TRUE(backend_.call("container.start", {{"id", name}}).ok());
        return name;
    }

    // Containers of this test still there (running or not).
    std::size_t leftovers(const std::string& label_value) {
        const auto listed =
            backend_.call("container.list", {{"labels", {{"envmgr.task-test", label_value}}}});
        EXPECT_TRUE(listed.ok()) << listed.payload;
        return listed.json()["containers"].size();
    }

    BackendHarness backend_;
    std::vector<std::string> containers_;
};

TEST_F(TaskCommandsTest, ExecTakesEnvWorkdirAndStdin) {
    const auto name = running_container();
    const auto result = backend_.call(
        "container.exec", {{"id", name},
                           {"command", {"sh", "-c", "echo $TASK_GREETING; pwd; cat; echo done >&2"}},
                           {"env", {{"TASK_GREETING", "hello task"}}},
                           {"workdir", "/tmp"},
                           {"stdin", "line one\nline two\n"}});
    ASSERT_TRUE(result.ok()) << result.payload;
    EXPECT_EQ(result.json()["exit_code"], 0);
    EXPECT_EQ(result.json()["stdout"], "hello task\n/tmp\nline one\nline two\n");
    EXPECT_EQ(result.json()["stderr"], "done\n");

    const auto bad_env =
        backend_.call("container.exec", {{"id", name}, {"command", {"true"}}, {"env", {{"A=B", "c"}}}});
    EXPECT_EQ(bad_env.status, ENVMGR_STATUS_INVALID);
    EXPECT_NE(bad_env.payload.find("env.A=B"), std::string::npos) << bad_env.payload;
}

TEST_F(TaskCommandsTest, AnExecPastItsDeadlineIsKilled) {
    const auto name = running_container();
    const auto slow =
        backend_.call("container.exec", {{"id", name}, {"command", {"sleep", "31"}}, {"timeout_ms", 500}});
    EXPECT_EQ(slow.status, ENVMGR_STATUS_TIMEOUT);
    EXPECT_NE(slow.payload.find("was killed"), std::string::npos) << slow.payload;
    EXPECT_LT(slow.elapsed, 3s);
    const auto processes = backend_.call("container.exec", {{"id", name}, {"command", {"ps", "-o", "args"}}});
    ASSERT_TRUE(processes.ok()) << processes.payload;
    EXPECT_EQ(processes.json()["stdout"].get<std::string>().find("sleep 31"), std::string::npos)
        << processes.json()["stdout"];
}

TEST_F(TaskCommandsTest, RunGivesOutputExitCodeAndStdinAndRemovesTheContainer) {
    const std::string mark = unique_name("run");
    const json spec{{"image", kBusybox},
                    {"command", {"sh", "-c", "echo out:$X; tr a-z A-Z; echo err-line >&2; exit 4"}},
                    {"env", {{"X", "42"}}},
                    {"labels", {{"envmgr.test", "1"}, {"envmgr.task-test", mark}}}};
    const auto result = backend_.call("container.run", {{"spec", spec}, {"stdin", "shout\n"}});
    ASSERT_TRUE(result.ok()) << result.payload;
    EXPECT_EQ(result.json()["exit_code"], 4);
    EXPECT_EQ(result.json()["stdout"], "out:42\nSHOUT\n");
    EXPECT_EQ(result.json()["stderr"], "err-line\n");
    EXPECT_FALSE(result.json()["truncated"].get<bool>());
    EXPECT_EQ(leftovers(mark), 0U);

    // Without stdin, a command that reads it sees its end at once.
    const json reader{{"image", kBusybox}, {"command", {"cat"}}, {"labels", {{"envmgr.task-test", mark}}}};
    const auto empty = backend_.call("container.run", {{"spec", reader}, {"timeout_ms", 10000}});
    ASSERT_TRUE(empty.ok()) << empty.payload;
    EXPECT_EQ(empty.json()["exit_code"], 0);
    EXPECT_EQ(leftovers(mark), 0U);
}

TEST_F(TaskCommandsTest, ARunPastItsDeadlineIsKilledAndRemoved) {
    const std::string mark = unique_name("run-slow");
    const json spec{
        {"image", kBusybox}, {"command", {"sleep", "60"}}, {"labels", {{"envmgr.task-test", mark}}}};
    const auto slow = backend_.call("container.run", {{"spec", spec}, {"timeout_ms", 700}});
    EXPECT_EQ(slow.status, ENVMGR_STATUS_TIMEOUT);
    EXPECT_NE(slow.payload.find("killed and removed"), std::string::npos) << slow.payload;
    EXPECT_LT(slow.elapsed, 5s);
    EXPECT_EQ(leftovers(mark), 0U);
}

TEST_F(TaskCommandsTest, ARunOfAMissingProgramIsTheCommandsFailure) {
    const std::string mark = unique_name("run-missing");
    const json spec{
        {"image", kBusybox}, {"command", {"/no/such/program"}}, {"labels", {{"envmgr.task-test", mark}}}};
    const auto missing = backend_.call("container.run", {{"spec", spec}});
    ASSERT_TRUE(missing.ok()) << missing.payload;
    EXPECT_EQ(missing.json()["exit_code"], 127);
    EXPECT_NE(missing.json()["stderr"].get<std::string>().find("/no/such/program"), std::string::npos)
        << missing.payload;
    EXPECT_EQ(leftovers(mark), 0U);

    const auto no_image = backend_.call(
        "container.run", {{"spec", {{"image", "envmgr-test/no-such-image:1"}, {"command", {"true"}}}}});
    EXPECT_EQ(no_image.status, ENVMGR_STATUS_NOT_FOUND) << no_image.payload;
}

TEST_F(TaskCommandsTest, ACancelledExecIsKilledToo) {
    const auto name = running_container();
    auto exec = backend_.start_stream("container.exec",
                                      {{"id", name}, {"command", {"sleep", "33"}}, {"timeout_ms", 60000}});
    std::this_thread::sleep_for(500ms);
    backend_.cancel(exec->id);
    ASSERT_TRUE(exec->wait_done(2s));
    EXPECT_EQ(exec->status(), ENVMGR_STATUS_CANCELLED);
    // The kill runs after the cancel answered: give it a moment.
    std::string processes;
    for (int i = 0; i < 50; ++i) {
        processes = backend_.call("container.exec", {{"id", name}, {"command", {"ps", "-o", "args"}}})
                        .json()["stdout"];
        if (processes.find("sleep 33") == std::string::npos) break;
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(processes.find("sleep 33"), std::string::npos) << processes;
}

TEST_F(TaskCommandsTest, ARunCancelledAtAnyMomentLeavesNoContainer) {
    const std::string mark = unique_name("run-cancel");
    const json spec{
        {"image", kBusybox}, {"command", {"sleep", "60"}}, {"labels", {{"envmgr.task-test", mark}}}};
    // At once (the create in flight), and once it runs.
    for (const auto delay : {0ms, 800ms}) {
        auto run = backend_.start_stream("container.run", {{"spec", spec}, {"timeout_ms", 60000}});
        std::this_thread::sleep_for(delay);
        backend_.cancel(run->id);
        ASSERT_TRUE(run->wait_done(2s));
    }
    std::size_t left = 1;
    for (int i = 0; i < 40 && left != 0; ++i) {  // a create still landing is removed a second later
        std::this_thread::sleep_for(100ms);
        left = leftovers(mark);
    }
    EXPECT_EQ(left, 0U);
}

}  // namespace
}  // namespace envmgr::tests
