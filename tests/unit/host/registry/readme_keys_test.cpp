// Every key an operator may write is documented in the README: the host's keys, the service
// table's keys, [defaults] and [tenants.NAME].
#include "host/config/config_keys.h"
#include "host/registry/service_table.h"
#include "host/registry/tenant_settings.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace envmgr::host {
namespace {

std::string readme() {
    std::ifstream file(std::string(ENVMGR_SOURCE_DIR) + "/README.md");
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// `key`, built by appending: GCC 12 at -O3 reports a false -Wrestrict on "`" + std::string.
std::string code(std::string_view key, std::string_view before = "") {
    std::string text(before);
    text += '`';
    text += key;
    text += '`';
    return text;
}

TEST(ReadmeKeys, EveryConfigurationKeyIsDocumented) {
    const auto text = readme();
    ASSERT_FALSE(text.empty());
    for (const auto& key : config::config_keys()) {
        EXPECT_NE(text.find(code(key.key)), std::string::npos) << key.key;
    }
    for (const auto& key : registry::service_table_keys()) {
        EXPECT_NE(text.find(code(key, "| ")), std::string::npos) << "services.NAME." << key;
    }
    for (const char* key : {"defaults.network", "defaults.host_ip", "defaults.restart_policy",
                            "defaults.readiness", "tenants.NAME.port_offset", "tenants.NAME.network",
                            "tenants.NAME.host_ip", "tenants.NAME.services.SERVICE"}) {
        EXPECT_NE(text.find(code(key)), std::string::npos) << key;
    }
    for (const auto& timing : registry::readiness_timing_keys()) {
        EXPECT_NE(text.find(code(timing)), std::string::npos) << "defaults.readiness." << timing;
    }
}

}  // namespace
}  // namespace envmgr::host
