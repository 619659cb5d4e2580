#include "plugins/frontends/grpc/grpc_frontend.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

using ::testing::HasSubstr;

std::string message_of(const nlohmann::json& config) {
    try {
        settings_from(config);
    } catch (const sdk::Error& e) {
        return e.what();
    }
    return "";
}

TEST(FrontendSettings, TheTokenComesFromAFileOrTheEnvironment) {
    const auto path = std::filesystem::temp_directory_path() / "envmgr-grpc-token-test";
    std::ofstream(path) << "from-file\n";
    const auto from_file = settings_from({{"addr", "0.0.0.0:1"}, {"token_file", path.string()}});
    EXPECT_EQ(from_file.access.token, "from-file");
    EXPECT_EQ(from_file.access.listen_address, "0.0.0.0:1");
    ::setenv("ENVMGR_TEST_GRPC_TOKEN", "from-env", 1);
    EXPECT_EQ(settings_from({{"token_env", "ENVMGR_TEST_GRPC_TOKEN"}}).access.token, "from-env");
    EXPECT_THAT(message_of({{"token_file", path.string()}, {"token_env", "ENVMGR_TEST_GRPC_TOKEN"}}),
                HasSubstr("not both"));
    EXPECT_THAT(message_of({{"token_file", "/nonexistent/token"}}), HasSubstr("token_file: cannot read"));
    EXPECT_THAT(message_of({{"token_env", "ENVMGR_TEST_GRPC_TOKEN_UNSET"}}), HasSubstr("not set or empty"));
    std::ofstream(path) << "\n";
    EXPECT_THAT(message_of({{"token_file", path.string()}}), HasSubstr("holds no token"));
    std::filesystem::remove(path);
}

TEST(FrontendSettings, TlsKeysGoTogether) {
    EXPECT_THAT(message_of({{"tls_cert_file", "/c.pem"}}), HasSubstr("set both or neither"));
    EXPECT_THAT(message_of({{"tls_client_ca_file", "/ca.pem"}}), HasSubstr("needs tls_cert_file"));
    const auto mutual = settings_from(
        {{"tls_cert_file", "/c.pem"}, {"tls_key_file", "/k.pem"}, {"tls_client_ca_file", "/ca.pem"}});
    EXPECT_TRUE(mutual.access.client_certificates);
    EXPECT_THAT(message_of({{"health_stream_queue", 0}}), HasSubstr("health_stream_queue"));
}

}  // namespace
}  // namespace envmgr::plugins::frontends::grpc_frontend
