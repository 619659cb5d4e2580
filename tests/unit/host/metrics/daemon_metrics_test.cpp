#include "host/metrics/daemon_metrics.h"

#include "host/events/event_bus.h"

#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <string>
#include <vector>

namespace envmgr::host::metrics {
namespace {

double sample(const std::string& text, const std::string& name) {
    const auto at = text.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + name.size() + 2));
}

TEST(ProcessCollectors, OpenDescriptorsAndResidentMemoryAreTheProcesssOwn) {
    MetricsRegistry registry;
    add_process_collectors(registry, "1.2.3", nullptr);
    const auto before = registry.text();
    EXPECT_NE(before.find("envmgr_build_info{version=\"1.2.3\"} 1"), std::string::npos) << before;
    EXPECT_GT(sample(before, "process_resident_memory_bytes"), 1 << 20);
    std::vector<std::array<int, 2>> pipes(20);
    for (auto& ends : pipes) ASSERT_EQ(::pipe(ends.data()), 0);
    const auto opened = registry.text();
    for (auto& ends : pipes) {
        ::close(ends[0]);
        ::close(ends[1]);
    }
    EXPECT_EQ(sample(opened, "process_open_fds") - sample(before, "process_open_fds"), 40) << opened;
    EXPECT_EQ(sample(registry.text(), "process_open_fds"), sample(before, "process_open_fds"));
}

// A gauge is there from the first scrape, not from its first change, and counts every
// subscription, the core's too.
TEST(ProcessCollectors, TheBusSubscriptionsGaugeIsThereFromTheStartAndReadWhenScraped) {
    MetricsRegistry registry;
    boost::asio::io_context io;
    events::EventBus bus(io.get_executor());
    add_process_collectors(registry, "1.2.3", &bus);
    EXPECT_EQ(sample(registry.text(), "event_bus_subscriptions"), 0);
    const auto id = bus.subscribe({}, [](const std::string&, const std::string&) {});
    EXPECT_EQ(sample(registry.text(), "event_bus_subscriptions"), 1) << "read when scraped";
    bus.unsubscribe(id);
    EXPECT_EQ(sample(registry.text(), "event_bus_subscriptions"), 0);
}

}  // namespace
}  // namespace envmgr::host::metrics
