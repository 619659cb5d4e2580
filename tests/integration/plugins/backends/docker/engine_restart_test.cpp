// An event stream outlives a restart of the engine: it reconnects and resumes.
#include "tests/support/backend_harness.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace envmgr::tests {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST(EngineRestart, EventStreamReconnectsAndKeepsDelivering) {
    require_engine();
    const std::string script = std::string(ENVMGR_SOURCE_DIR) + "/scripts/testbed.sh";
    // Restarting an engine that someone else runs would disturb whatever else uses it.
    if (std::system((script + " owns-engine").c_str()) != 0) {
        GTEST_SKIP() << "the Docker engine that answers was not started by scripts/testbed.sh, so this "
                        "test may not restart it (it runs where the test-bed starts the engine, as in CI)";
    }
    BackendHarness backend;
    auto events = backend.start_stream("events.stream", {{"labels", {{"envmgr.test", "1"}}}});
    std::this_thread::sleep_for(300ms);

    const std::string restart = script + " restart-engine";
    ASSERT_EQ(std::system(restart.c_str()), 0) << "could not restart the engine with: " << restart;

    EXPECT_TRUE(events->wait_for([](const json& e) { return e["action"] == "disconnected"; }, 30s));
    ASSERT_TRUE(events->wait_for([](const json& e) { return e["action"] == "reconnected"; }, 30s))
        << "the stream did not reconnect";

    // Events after the restart arrive on the same stream.
    const std::string name = unique_name("after-restart");
    ASSERT_TRUE(backend
                    .call("container.create", {{"spec",
                                                {{"name", name},
                                                 {"image", "envmgr-test/busybox:latest"},
                                                 {"command", {"true"}},
                                                 {"labels", {{"envmgr.test", "1"}}}}}})
                    .ok());
    ASSERT_TRUE(backend.call("container.start", {{"id", name}}).ok());
    EXPECT_TRUE(
        events->wait_for([&](const json& e) { return e["action"] == "start" && e["name"] == name; }, 5s));
    backend.call("container.remove", {{"id", name}, {"force", true}});
    backend.cancel(events->id);
    EXPECT_TRUE(events->wait_done(5s));
}

}  // namespace
}  // namespace envmgr::tests
