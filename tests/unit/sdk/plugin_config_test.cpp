#include <envmgr/sdk/plugin_config.h>

#include <gtest/gtest.h>

namespace envmgr::sdk {
namespace {

const char* const kSchema = R"json({
  "timeout_ms": {"type": "integer", "default": 30000},
  "addr": {"type": "string", "host_key": "server.grpc_addr"}
})json";

TEST(PluginConfig, AKeyLeftOutTakesTheSchemasDefault) {
    const PluginConfig config(nlohmann::json::object(), kSchema);
    EXPECT_EQ(config.get<int>("timeout_ms"), 30000);
    const PluginConfig set(nlohmann::json{{"timeout_ms", 5}}, kSchema);
    EXPECT_EQ(set.get<int>("timeout_ms"), 5);
}

TEST(PluginConfig, AKeyWithNoValueAnywhereOrOfTheWrongTypeIsInvalidAndNamed) {
    const PluginConfig config(nlohmann::json{{"timeout_ms", "soon"}}, kSchema);
    try {
        static_cast<void>(config.get<int>("timeout_ms"));
        FAIL() << "a string read as an integer";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ENVMGR_STATUS_INVALID);
        EXPECT_EQ(std::string(e.what()), "timeout_ms: has the wrong type (string)");
    }
    EXPECT_THROW(static_cast<void>(config.get<std::string>("addr")), Error);
    EXPECT_EQ(config.get_or<std::string>("addr", "host's"), "host's");
}

TEST(PluginConfig, ABrokenSchemaAddsNothing) {
    const PluginConfig config(nlohmann::json{{"a", 1}}, "not json");
    EXPECT_EQ(config.json(), (nlohmann::json{{"a", 1}}));
}

}  // namespace
}  // namespace envmgr::sdk
