#include "host/registry/compose/compose_values.h"

#include <gtest/gtest.h>

namespace envmgr::host::registry::compose {
namespace {

using Json = nlohmann::json;

template <typename T>
std::string error_of(const std::variant<T, ValueError>& read) {
    return std::holds_alternative<ValueError>(read) ? std::get<ValueError>(read).message : "no error";
}

std::vector<std::string> ports(const Json& value) {
    auto read = ports_of(value);
    if (std::holds_alternative<ValueError>(read)) return {"error: " + std::get<ValueError>(read).message};
    std::vector<std::string> out;
    for (const auto& port : std::get<PortsRead>(read).ports) {
        out.push_back(port.host_ip + "|" + std::to_string(port.host_port) + "|" +
                      std::to_string(port.container_port) + "/" + port.protocol);
    }
    return out;
}

TEST(ComposeValues, DurationsAreGoDurationsOrSeconds) {
    EXPECT_EQ(std::get<std::int64_t>(duration_ms(Json("1m30s"))), 90000);
    EXPECT_EQ(std::get<std::int64_t>(duration_ms(Json("250ms"))), 250);
    EXPECT_EQ(std::get<std::int64_t>(duration_ms(Json("1.5s"))), 1500);
    EXPECT_EQ(std::get<std::int64_t>(duration_ms(Json("1h"))), 3600000);
    EXPECT_EQ(std::get<std::int64_t>(duration_ms(Json(2))), 2000);
    EXPECT_EQ(error_of(duration_ms(Json("10 seconds"))),
              "'10 seconds' is not a duration (units: h, m, s, ms, us, ns; e.g. 1m30s)");
}

TEST(ComposeValues, SizesUseBinaryUnits) {
    EXPECT_EQ(std::get<std::int64_t>(byte_size(Json("512m"))), 512LL * 1024 * 1024);
    EXPECT_EQ(std::get<std::int64_t>(byte_size(Json("1G"))), 1024LL * 1024 * 1024);
    EXPECT_EQ(std::get<std::int64_t>(byte_size(Json("64kb"))), 64 * 1024);
    EXPECT_EQ(std::get<std::int64_t>(byte_size(Json(1000))), 1000);
    EXPECT_EQ(error_of(byte_size(Json("lots"))), "'lots' is not a size (units: b, k, m, g; e.g. 512m)");
}

TEST(ComposeValues, PortsInTheShortAndTheLongSyntax) {
    EXPECT_EQ(ports(Json("8080:80")), std::vector<std::string>{"|8080|80/tcp"});
    EXPECT_EQ(ports(Json("127.0.0.1:53:53/udp")), std::vector<std::string>{"127.0.0.1|53|53/udp"});
    EXPECT_EQ(ports(Json("[::1]:8080:80")), std::vector<std::string>{"::1|8080|80/tcp"});
    EXPECT_EQ(ports(Json("9000-9001:8000-8001")),
              (std::vector<std::string>{"|9000|8000/tcp", "|9001|8001/tcp"}));
    EXPECT_EQ(ports(Json(80)), std::vector<std::string>{"|0|80/tcp"});
    EXPECT_TRUE(std::get<PortsRead>(ports_of(Json("80"))).random_host_port);
    EXPECT_EQ(ports(Json{{"target", 80}, {"published", "8080"}, {"host_ip", "127.0.0.1"}}),
              std::vector<std::string>{"127.0.0.1|8080|80/tcp"});
    EXPECT_EQ(
        ports(Json("9000-9005:80")).front(),
        "error: '9000-9005:80': a host port range must be as long as the container port range (env-manager "
        "publishes fixed ports)");
    EXPECT_EQ(ports(Json("80/sctp")).front(), "error: '80/sctp': the protocol must be tcp or udp");
    EXPECT_EQ(ports(Json("a:b")).front(), "error: 'a:b': the container port must be a number or a range A-B");
}

TEST(ComposeValues, VolumesBindNamedAnonymousAndLong) {
    auto bind = std::get<VolumeRead>(volume_of(Json("./data:/data:ro"), "/project", "/home/me"));
    EXPECT_EQ(bind.mount.type, "bind");
    EXPECT_EQ(bind.mount.source, "/project/data");
    EXPECT_TRUE(bind.mount.read_only);
    auto home = std::get<VolumeRead>(volume_of(Json("~/cache:/cache"), "/project", "/home/me"));
    EXPECT_EQ(home.mount.source, "/home/me/cache");
    auto named = std::get<VolumeRead>(volume_of(Json("data:/var/lib/data:rw,z"), "/project", ""));
    EXPECT_EQ(named.mount.type, "volume");
    EXPECT_EQ(named.mount.source, "data");
    EXPECT_EQ(named.ignored, std::vector<std::string>{"z"});
    EXPECT_TRUE(std::get<VolumeRead>(volume_of(Json("/scratch"), "/project", "")).anonymous);
    auto tmpfs = std::get<VolumeRead>(
        volume_of(Json{{"type", "tmpfs"}, {"target", "/t"}, {"tmpfs", {{"size", "1m"}}}}, "/project", ""));
    EXPECT_EQ(tmpfs.mount.tmpfs_size_bytes, 1024 * 1024);
    EXPECT_EQ(error_of(volume_of(Json{{"type", "npipe"}, {"target", "/t"}}, "", "")),
              "type 'npipe': env-manager mounts volume, bind and tmpfs");
}

TEST(ComposeValues, TmpfsLinesAndCommands) {
    const auto mount = std::get<sdk::Mount>(tmpfs_of(Json("/run:size=64m,mode=1777")));
    EXPECT_EQ(mount.target, "/run");
    EXPECT_EQ(mount.tmpfs_size_bytes, 64LL * 1024 * 1024);
    EXPECT_EQ(std::get<std::vector<std::string>>(words_of(Json("sh -c 'echo a b'"))),
              (std::vector<std::string>{"sh", "-c", "echo a b"}));
    EXPECT_EQ(std::get<std::vector<std::string>>(words_of(Json::array({"a", 1}))),
              (std::vector<std::string>{"a", "1"}));
    EXPECT_NE(error_of(words_of(Json("echo 'open"))), "no error");
}

}  // namespace
}  // namespace envmgr::host::registry::compose
