// The metrics frontend's server over real loopback sockets, against the SDK's fake host: what it
// answers from a host with render_metrics, from one whose render_metrics knows only the text
// format, and from an ABI 1.0 host without render_metrics (the version gate, both ways).
#include "plugins/frontends/metrics/http_server.h"
#include <envmgr/kit/io_thread.h>

#include <envmgr/sdk/testing/fake_host.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

namespace envmgr::plugins::frontends::metrics_frontend {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

struct Answer {
    unsigned status = 0;
    std::string content_type;
    std::string body;
};

class ServedHost {
public:
    explicit ServedHost(const envmgr_host_api* table)
        : io_([](const std::string& what) { ADD_FAILURE() << "handler threw: " << what; }),
          server_(std::make_unique<HttpServer>(io_.context(), sdk::Host(table),
                                               ServerSettings{"127.0.0.1:0", std::chrono::milliseconds(2000),
                                                              std::chrono::milliseconds(500)})) {
        server_->listen();
    }
    ~ServedHost() {
        server_->close();
        io_.shutdown();
    }
    ServedHost(const ServedHost&) = delete;
    ServedHost& operator=(const ServedHost&) = delete;

    Answer get(const std::string& target, const std::string& accept = "") {
        asio::io_context client;
        asio::ip::tcp::socket socket(client);
        socket.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
        http::request<http::empty_body> request{http::verb::get, target, 11};
        request.set(http::field::host, "localhost");
        if (!accept.empty()) request.set(http::field::accept, accept);
        http::write(socket, request);
        boost::beast::flat_buffer buffer;
        http::response<http::string_body> response;
        http::read(socket, buffer, response);
        return {response.result_int(), std::string(response[http::field::content_type]), response.body()};
    }

private:
    kit::IoThread io_;
    std::unique_ptr<HttpServer> server_;
};

TEST(MetricsHttpServer, AnAbi11HostsMetricsAreServedAsTheHostRendersThem) {
    sdk::testing::FakeHost fake;
    fake.set_metrics_text("# HELP up u\n# TYPE up gauge\nup 1\n");
    ServedHost served(fake.api());
    const auto text = served.get("/metrics");
    EXPECT_EQ(text.status, 200U);
    EXPECT_EQ(text.content_type, "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_EQ(text.body, "# HELP up u\n# TYPE up gauge\nup 1\n");
}

TEST(MetricsHttpServer, AHostThatRendersOnlyTextAnswersJsonRequestsWith406) {
    sdk::testing::FakeHost fake;  // its render_metrics knows "prometheus" only, as early 1.1 hosts
    fake.set_metrics_text("up 1\n");
    ServedHost served(fake.api());
    for (const auto& answer :
         {served.get("/metrics?format=json"), served.get("/metrics", "application/json")}) {
        EXPECT_EQ(answer.status, 406U);
        EXPECT_NE(answer.body.find("Prometheus text only, not json"), std::string::npos) << answer.body;
    }
    EXPECT_EQ(served.get("/metrics").status, 200U);
}

TEST(MetricsHttpServer, AnAbi10HostGets501ForMetricsAndTheRestStillServes) {
    sdk::testing::FakeHost fake;
    envmgr_host_api older = *fake.api();
    older.struct_size = offsetof(envmgr_host_api, subscribe_with);  // a 1.0 host's table
    older.abi_minor = 0;
    ServedHost served(&older);
    const auto metrics = served.get("/metrics");
    EXPECT_EQ(metrics.status, 501U);
    EXPECT_NE(metrics.body.find("render_metrics came with plugin ABI 1.1"), std::string::npos)
        << metrics.body;
    EXPECT_EQ(served.get("/health/live").status, 200U);
}

TEST(MetricsHttpServer, HealthIsTheDaemonsAnswerOr503WithItsReason) {
    sdk::testing::FakeHost fake;
    std::atomic<bool> reachable{true};  // read on the server's io thread
    fake.answer_manager([&reachable](sdk::testing::FakeHost& host, const sdk::testing::FakeHost::Call& call) {
        ASSERT_EQ(call.operation, "daemon.health");
        if (reachable) {
            host.complete(call.id, ENVMGR_STATUS_OK, R"({"version":"x","engine":{"reachable":true}})");
        } else {
            host.complete(call.id, ENVMGR_STATUS_UNAVAILABLE, "start-up has not finished");
        }
    });
    ServedHost served(fake.api());
    const auto ok = served.get("/health");
    EXPECT_EQ(ok.status, 200U);
    EXPECT_NE(ok.body.find(R"("status":"ok")"), std::string::npos) << ok.body;
    reachable = false;
    const auto starting = served.get("/health/ready");
    EXPECT_EQ(starting.status, 503U);
    EXPECT_NE(starting.body.find("start-up has not finished"), std::string::npos) << starting.body;
}

TEST(MetricsHttpServer, HealthThatDoesNotComeBackInTimeIs503) {
    sdk::testing::FakeHost fake;  // no answer set: the call stays pending
    ServedHost served(fake.api());
    const auto late = served.get("/health");
    EXPECT_EQ(late.status, 503U);
    EXPECT_NE(late.body.find("no answer from the daemon within 0.5 s"), std::string::npos) << late.body;
    // The answer that comes after the deadline is dropped (and frees the call's handler).
    const auto calls = fake.manager_calls();
    ASSERT_EQ(calls.size(), 1U);
    EXPECT_TRUE(fake.complete(calls[0].id, ENVMGR_STATUS_OK, R"({"engine":{"reachable":true}})"));
}

}  // namespace
}  // namespace envmgr::plugins::frontends::metrics_frontend
