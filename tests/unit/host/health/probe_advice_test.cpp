#include "host/health/probe_advice.h"

#include <gtest/gtest.h>

namespace envmgr::host::health {
namespace {

sdk::ServiceDefinition with_probe(const std::string& type) {
    sdk::ServiceDefinition definition;
    definition.name = "web";
    definition.image = "busybox:latest";
    definition.readiness.type = type;
    definition.readiness.port = 8080;
    return definition;
}

const std::set<std::string> kTypes{"exec", "http", "tcp"};

TEST(ProbeAdvice, AProbeTypeNoPluginHandlesIsAnError) {
    const auto advice = advise_probes(with_probe("grpc"), kTypes, "auto");
    ASSERT_EQ(advice.errors.size(), 1U);
    EXPECT_EQ(advice.errors[0],
              "service 'web': readiness.type 'grpc': no probe plugin handles it (loaded: exec, http, tcp)");
}

TEST(ProbeAdvice, AConnectOnlyTcpProbeOnAPublishedPortIsFlaggedAsUnreliable) {
    auto definition = with_probe("tcp");
    definition.readiness.target = "published";
    const auto advice = advise_probes(definition, kTypes, "auto");
    EXPECT_TRUE(advice.errors.empty());
    ASSERT_EQ(advice.warnings.size(), 1U);
    EXPECT_NE(advice.warnings[0].find("userland proxy"), std::string::npos);
    // The daemon-wide setting counts the same way.
    EXPECT_EQ(advise_probes(with_probe("tcp"), kTypes, "published").warnings.size(), 1U);
}

TEST(ProbeAdvice, ATcpProbeWithAReplyOrOnTheContainersOwnAddressIsFine) {
    auto replying = with_probe("tcp");
    replying.readiness.target = "published";
    replying.readiness.send = "PING\r\n";
    replying.readiness.expect = "+PONG";
    EXPECT_TRUE(advise_probes(replying, kTypes, "auto").warnings.empty());
    EXPECT_TRUE(advise_probes(with_probe("tcp"), kTypes, "auto").warnings.empty());
    EXPECT_TRUE(advise_probes(with_probe(""), kTypes, "published").warnings.empty());
}

}  // namespace
}  // namespace envmgr::host::health
