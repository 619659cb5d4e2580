// The lifetime rules of abi.h against real plugin libraries (tests/fixtures/plugins/lifetime):
// destroy only after stop completed, never for a plugin whose stop never completes; what a
// plugin started through the host API ends before its destroy, and nothing reaches it after.
#include "host/config/config_loader.h"
#include "host/loader/plugin_manager.h"

#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

namespace envmgr::host::loader {
namespace {

using namespace std::chrono_literals;

class PluginLifetimeTest : public ::testing::Test {
public:
    PluginLifetimeTest()
        : logger_(std::make_shared<spdlog::logger>("test",
                                                   std::make_shared<spdlog::sinks::ostream_sink_mt>(log_))),
          trace_(std::filesystem::temp_directory_path() / ("envmgr-lifetime-" + std::to_string(::getpid()))) {
        std::filesystem::remove(trace_);
        ::setenv("ENVMGR_LIFETIME_TRACE", trace_.c_str(), 1);
        services_.metrics = &metrics_;
        // Posted work waits in this context, which runs only when the test says.
        services_.executor = io_.get_executor();
    }
    ~PluginLifetimeTest() override {
        std::filesystem::remove(trace_);
        ::unsetenv("ENVMGR_LIFETIME_TRACE");
        ::unsetenv("ENVMGR_LIFETIME_SLEEP_MS");
    }

protected:
    std::vector<std::string> trace() const {
        std::ifstream in(trace_);
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);) lines.push_back(line);
        return lines;
    }
    static bool has(const std::vector<std::string>& lines, const std::string& line) {
        return std::find(lines.begin(), lines.end(), line) != lines.end();
    }
    static std::ptrdiff_t position(const std::vector<std::string>& lines, const std::string& line) {
        return std::find(lines.begin(), lines.end(), line) - lines.begin();
    }

    void run_plugins(std::chrono::milliseconds bound) {
        PluginManager manager(services_, logger_);
        manager.discover({ENVMGR_LIFETIME_PLUGIN_DIR});
        const auto environment = config::map_environment({});
        manager.create_all(config::load_config(environment).config, environment);
        manager.start_all();
        ASSERT_EQ(manager.instance_count(), 3U) << log_.str();
        manager.stop_all(bound);
    }

    std::ostringstream log_;
    std::shared_ptr<spdlog::logger> logger_;
    std::filesystem::path trace_;
    boost::asio::io_context io_;
    metrics::MetricsRegistry metrics_;
    HostServices services_;
};

TEST_F(PluginLifetimeTest, ACompletionArrivingWhileTheHostDrainsIsDeliveredBeforeDestroy) {
    ::setenv("ENVMGR_LIFETIME_SLEEP_MS", "50", 1);
    run_plugins(2000ms);
    const auto lines = trace();
    ASSERT_TRUE(has(lines, "late: completion")) << log_.str();
    EXPECT_TRUE(has(lines, "late: completion ok"));
    EXPECT_LT(position(lines, "late: completion"), position(lines, "late: destroy begin"));
}

TEST_F(PluginLifetimeTest, ACompletionArrivingDuringDestroyIsDroppedNotDelivered) {
    // The backend answers after 300 ms and ignores cancel; the host drains for 100 ms, then
    // destroys the probe, whose destroy takes 600 ms: the answer lands in the middle of it.
    ::setenv("ENVMGR_LIFETIME_SLEEP_MS", "300", 1);
    run_plugins(100ms);
    const auto lines = trace();
    EXPECT_TRUE(has(lines, "late: destroy end")) << log_.str();
    EXPECT_FALSE(has(lines, "late: completion after destroy"));
    EXPECT_FALSE(has(lines, "late: completion"));
    EXPECT_NE(log_.str().find("1 operation(s) started by plugin probe.lifetime-late did not complete"),
              std::string::npos)
        << log_.str();
}

TEST_F(PluginLifetimeTest, WorkPostedAndNotYetRunIsDroppedNotRunAfterDestroy) {
    ::setenv("ENVMGR_LIFETIME_SLEEP_MS", "50", 1);
    run_plugins(1000ms);
    io_.run();  // only now does the executor run what was posted
    const auto lines = trace();
    EXPECT_TRUE(has(lines, "late: stop"));
    EXPECT_FALSE(has(lines, "late: posted work ran"));
}

TEST_F(PluginLifetimeTest, APluginWhoseStopNeverCompletesIsAbandonedNeverDestroyed) {
    ::setenv("ENVMGR_LIFETIME_SLEEP_MS", "50", 1);
    run_plugins(200ms);
    const auto lines = trace();
    EXPECT_TRUE(has(lines, "stuck: stop"));
    EXPECT_FALSE(has(lines, "stuck: destroy"));
    EXPECT_NE(log_.str().find(
                  "plugin probe.lifetime-stuck is abandoned, not destroyed: it did not stop within 200 ms"),
              std::string::npos)
        << log_.str();
}

TEST_F(PluginLifetimeTest, APluginIsDestroyedOnTheHostsThreadEvenWhenAnotherThreadHeldItLast) {
    ::setenv("ENVMGR_LIFETIME_SLEEP_MS", "10", 1);
    PluginManager manager(services_, logger_);
    manager.discover({ENVMGR_LIFETIME_PLUGIN_DIR});
    const auto environment = config::map_environment({});
    manager.create_all(config::load_config(environment).config, environment);
    // Another thread (a probe's io thread in the middle of backend_invoke) holds the backend
    // while the host stops it, and lets go only afterwards.
    std::promise<void> holding;
    std::thread holder([&] {
        auto backend = manager.active_backend();
        holding.set_value();
        std::this_thread::sleep_for(300ms);
    });
    holding.get_future().wait();
    manager.stop_all(1000ms);
    holder.join();
    EXPECT_TRUE(has(trace(), "slow: destroyed on thread " + std::to_string(::gettid()))) << log_.str();
}

}  // namespace
}  // namespace envmgr::host::loader
