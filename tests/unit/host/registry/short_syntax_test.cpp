#include "host/registry/short_syntax.h"

#include <gtest/gtest.h>

namespace envmgr::host::registry {
namespace {

nlohmann::json port(std::string_view text) {
    return std::get<nlohmann::json>(parse_port(text));
}
std::string port_error(std::string_view text) {
    return std::get<SyntaxError>(parse_port(text)).message;
}

TEST(ShortSyntax, PortsInComposeForm) {
    EXPECT_EQ(port("6380:6379"),
              (nlohmann::json{{"container_port", 6379}, {"host_port", 6380}, {"protocol", "tcp"}}));
    EXPECT_EQ(
        port("127.0.0.1:6380:6379/udp"),
        (nlohmann::json{
            {"container_port", 6379}, {"host_port", 6380}, {"host_ip", "127.0.0.1"}, {"protocol", "udp"}}));
    EXPECT_EQ(port("[::1]:6380:6379")["host_ip"], "::1");
    EXPECT_FALSE(port("9000").contains("host_port"));  // not published
    EXPECT_EQ(port_error("a:b:c:d"), "'a:b:c:d': expected [host_ip:]host_port:container_port[/protocol]");
    EXPECT_EQ(port_error("x:6379"), "'x:6379': host port 'x' is not a number");
    EXPECT_EQ(port_error("[::1:6379"), "'[::1:6379': unclosed '[' in the host address");
}

TEST(ShortSyntax, MountsInComposeForm) {
    const auto volume = std::get<nlohmann::json>(parse_mount("redis_data:/data"));
    EXPECT_EQ(volume["type"], "volume");
    EXPECT_EQ(volume["read_only"], false);
    const auto bind = std::get<nlohmann::json>(parse_mount("/etc/app.conf:/app.conf:ro"));
    EXPECT_EQ(bind["type"], "bind");
    EXPECT_EQ(bind["read_only"], true);
    EXPECT_EQ(std::get<nlohmann::json>(parse_mount("./data:/data"))["type"], "bind");
    EXPECT_TRUE(std::holds_alternative<SyntaxError>(parse_mount("/data")));
}

TEST(ShortSyntax, MemorySizesAreBinaryMultiples) {
    EXPECT_EQ(std::get<std::int64_t>(parse_memory("512m")), 512LL << 20);
    EXPECT_EQ(std::get<std::int64_t>(parse_memory("2GiB")), 2LL << 30);
    EXPECT_EQ(std::get<std::int64_t>(parse_memory("1.5g")), 3LL << 29);
    EXPECT_EQ(std::get<std::int64_t>(parse_memory(4096)), 4096);
    EXPECT_EQ(std::get<SyntaxError>(parse_memory("5 parsecs")).message,
              "'5 parsecs': unknown unit ' parsecs' (b, k, m, g, t)");
    EXPECT_TRUE(std::holds_alternative<SyntaxError>(parse_memory(-1)));
    EXPECT_TRUE(std::holds_alternative<SyntaxError>(parse_memory(true)));
}

}  // namespace
}  // namespace envmgr::host::registry
