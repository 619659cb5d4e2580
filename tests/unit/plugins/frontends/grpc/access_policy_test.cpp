#include "plugins/frontends/grpc/access_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

using ::testing::HasSubstr;

TEST(AccessPolicy, LoopbackAddressesAndPeers) {
    EXPECT_TRUE(is_loopback_listen("127.0.0.1:50100"));
    EXPECT_TRUE(is_loopback_listen("localhost:50100"));
    EXPECT_TRUE(is_loopback_listen("[::1]:50100"));
    EXPECT_TRUE(is_loopback_listen("unix:/run/env-manager.sock"));
    EXPECT_FALSE(is_loopback_listen("0.0.0.0:50100"));
    EXPECT_FALSE(is_loopback_listen("[::]:50100"));
    EXPECT_FALSE(is_loopback_listen("10.1.2.3:50100"));
    EXPECT_TRUE(is_loopback_peer("ipv4:127.0.0.1:41234"));
    EXPECT_TRUE(is_loopback_peer("ipv6:[::1]:41234"));
    EXPECT_TRUE(is_loopback_peer("ipv6:[::ffff:127.0.0.1]:41234"));
    EXPECT_TRUE(is_loopback_peer("ipv6:%5B::1%5D:41234"));  // as gRPC 1.48+ writes it
    EXPECT_TRUE(is_loopback_peer("ipv6:%5B::ffff:127.0.0.1%5D:41234"));
    EXPECT_FALSE(is_loopback_peer("ipv6:%5B::2%5D:41234"));
    EXPECT_TRUE(is_loopback_peer("unix:"));
    EXPECT_FALSE(is_loopback_peer("ipv4:10.0.0.7:41234"));
    EXPECT_FALSE(is_loopback_peer("ipv6:[fe80::1]:41234"));
}

TEST(AccessPolicy, SecretsCompareWholly) {
    EXPECT_TRUE(same_secret("s3cret", "s3cret"));
    EXPECT_FALSE(same_secret("s3cre", "s3cret"));
    EXPECT_FALSE(same_secret("s3cretX", "s3cret"));
    EXPECT_FALSE(same_secret("S3cret", "s3cret"));
    EXPECT_FALSE(same_secret("", ""));  // no token is never a match
}

TEST(AccessPolicy, ProtectedModeRefusesRemoteChangesOnly) {
    const AccessSettings open{"0.0.0.0:50100", "", false};
    EXPECT_TRUE(check_access(open, "ipv4:127.0.0.1:5000", std::nullopt, true).ok());
    EXPECT_TRUE(check_access(open, "ipv4:10.0.0.7:5000", std::nullopt, false).ok());  // reading
    const auto refused = check_access(open, "ipv4:10.0.0.7:5000", std::nullopt, true);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_THAT(refused.error_message(), HasSubstr("protected mode"));
    EXPECT_THAT(refused.error_message(), HasSubstr("token_file"));
    // Listening on loopback only, or with client certificates: nothing to protect against.
    EXPECT_TRUE(check_access({"127.0.0.1:50100", "", false}, "ipv4:10.0.0.7:5000", std::nullopt, true).ok());
    EXPECT_TRUE(check_access({"0.0.0.0:50100", "", true}, "ipv4:10.0.0.7:5000", std::nullopt, true).ok());
}

TEST(AccessPolicy, ATokenIsRequiredOfEveryCallWhenConfigured) {
    const AccessSettings guarded{"0.0.0.0:50100", "t0ken", false};
    EXPECT_TRUE(check_access(guarded, "ipv4:10.0.0.7:5000", std::string("Bearer t0ken"), true).ok());
    for (const auto& sent :
         {std::optional<std::string>(), std::optional<std::string>("Bearer nope"),
          std::optional<std::string>("t0ken"), std::optional<std::string>("Basic t0ken")}) {
        const auto refused = check_access(guarded, "ipv4:127.0.0.1:5000", sent, false);
        EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED) << sent.value_or("(none)");
        EXPECT_THAT(refused.error_message(), ::testing::Not(HasSubstr("t0ken")));
    }
}

}  // namespace
}  // namespace envmgr::plugins::frontends::grpc_frontend
