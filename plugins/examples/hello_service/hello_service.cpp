// A minimal service plugin: one definition, a configurable greeting, exported with one macro.
#include <envmgr/sdk/sdk.h>

#include <string>
#include <vector>

namespace {

class HelloService : public envmgr::sdk::ServicePlugin {
public:
    static constexpr const char* id = "service.example-hello";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "Example: a busybox web server saying hello";

    static const char* config_schema() {
        return R"({"port": {"type": "integer", "default": 8088,
                            "description": "host port the hello page is published on"},
                   "image": {"type": "string", "default": "busybox:stable",
                             "description": "a busybox image to run the web server from"}})";
    }

    HelloService(const envmgr::sdk::Host& host, const nlohmann::json& config)
        : ServicePlugin(host),
          port_(config.at("port").get<int>()),
          image_(config.at("image").get<std::string>()) {
        if (port_ < 1 || port_ > 65535) {
            throw envmgr::sdk::Error(ENVMGR_STATUS_INVALID, "port must be 1..65535");
        }
    }

    std::vector<envmgr::sdk::ServiceDefinition> definitions() {
        envmgr::sdk::ServiceDefinition hello;
        hello.name = "hello";
        hello.image = image_;
        hello.command = {"sh", "-c",
                         "mkdir -p /tmp/www && echo hello > /tmp/www/index.html && "
                         "exec httpd -f -p 8080 -h /tmp/www"};
        hello.ports = {{8080, port_, "127.0.0.1", "tcp"}};
        hello.readiness.type = "http";
        hello.readiness.port = 8080;
// GCC 12 at -O3 reports a false -Wrestrict inside std::string's assignment of a short literal
// (GCC bug 105651); fixed in GCC 13.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
        hello.readiness.path = "/";
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic pop
#endif
        hello.optional = true;
        return {hello};
    }

private:
    int port_;
    std::string image_;
};

}  // namespace

ENVMGR_EXPORT_PLUGIN(HelloService)
