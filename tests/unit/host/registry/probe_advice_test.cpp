#include "host/registry/probe_advice.h"

#include <gtest/gtest.h>

namespace envmgr::host::registry {
namespace {

sdk::ServiceDefinition with_probe(const std::string& type) {
    sdk::ServiceDefinition definition;
    definition.name = "web";
    definition.image = "busybox:latest";
    definition.readiness.type = type;
    definition.readiness.port = 8080;
    return definition;
}

TEST(ProbeAdvice, AConnectOnlyTcpProbeOnAPublishedPortIsFlaggedAsUnreliable) {
    auto definition = with_probe("tcp");
    definition.readiness.target = "published";
    const auto warnings = probe_warnings(definition, "auto");
    ASSERT_EQ(warnings.size(), 1U);
    EXPECT_NE(warnings[0].find("userland proxy"), std::string::npos);
    // The daemon-wide setting counts the same way.
    EXPECT_EQ(probe_warnings(with_probe("tcp"), "published").size(), 1U);
}

TEST(ProbeAdvice, ATcpProbeWithAReplyOrOnTheContainersOwnAddressIsFine) {
    auto replying = with_probe("tcp");
    replying.readiness.target = "published";
    replying.readiness.send = "PING\r\n";
    replying.readiness.expect = "+PONG";
    EXPECT_TRUE(probe_warnings(replying, "auto").empty());
    EXPECT_TRUE(probe_warnings(with_probe("tcp"), "auto").empty());
    EXPECT_TRUE(probe_warnings(with_probe(""), "published").empty());
}

}  // namespace
}  // namespace envmgr::host::registry
