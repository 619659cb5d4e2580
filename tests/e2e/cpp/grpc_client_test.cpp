// The gRPC API as the orchestrator meets it, through a C++ client generated from our proto: the
// daemon binary with the real plugins, the real engine, the test-bed's registry. Each test runs
// its own daemon on a unix socket (a TCP one for protected mode).
#include "tests/support/daemon_child.h"

#include <env_manager/v1/env_manager.grpc.pb.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <thread>

namespace envmgr::tests {
namespace {

namespace pb = ::env_manager::v1;
using namespace std::chrono_literals;

constexpr const char* kTenant = "e2ecpp";
constexpr int kPortOffset = 6000;
constexpr const char* kBusybox = "envmgr-test/busybox:latest";
constexpr const char* kPullProbe = "127.0.0.1:5000/envmgr-test/pull-probe:latest";
const std::array<const char*, 6> kStack{
    "redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"};

std::string shell(const std::string& command) {
    std::string output;
    if (FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r")) {
        std::array<char, 4096> buffer{};
        while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe))
            output.append(buffer.data(), n);
        ::pclose(pipe);
    }
    while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
    return output;
}

void remove_tenant() {
    std::string names;
    for (const auto* service : kStack) names += std::string(" ") + kTenant + "-" + service;
    shell("docker rm -f -v" + names + " " + kTenant + "-talker");
    shell(std::string("docker rm -f $(docker ps -aq --filter label=env-manager.task-tenant=") + kTenant +
          ")");
    shell(std::string("docker volume rm ") + kTenant + "_redis_data " + kTenant + "_redb_data " + kTenant +
          "_ollama_data");
    shell(std::string("docker network rm env-manager-") + kTenant);
}

class GrpcClientTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(shell("docker version --format ok"), "ok") << "no Docker engine: scripts/testbed.sh up";
        remove_tenant();
        scratch_ = make_scratch_dir("envmgr-cpp-e2e-");
    }
    void TearDown() override {
        stub_.reset();
        daemon_.stop(60s);
        remove_tenant();
        std::filesystem::remove_all(scratch_);
    }

    // Starts the daemon with the tenant's stack, a talker service and `extra` TOML.
    void start_daemon(const std::string& extra = "", std::string address = "") {
        std::string toml =
            std::string("[tenants.") + kTenant + "]\nport_offset = " + std::to_string(kPortOffset) + "\n";
        for (const auto* service : kStack) {
            toml += std::string("[tenants.") + kTenant + ".services." + service +
                    "]\nlabels = { \"envmgr.test\" = \"1\" }\n";
        }
        toml += std::string("[tenants.") + kTenant + ".services.talker]\nimage = \"" + kBusybox +
                "\"\ncommand = [\"sh\", \"-c\", \"echo out-line; echo err-line >&2; exec sleep 600\"]\n" +
                extra;
        std::ofstream(scratch_ / "config.toml") << toml;
        const auto socket = (scratch_ / "grpc.sock").string();
        if (address.empty()) address = "unix:" + socket;
        const auto failed = daemon_.spawn(ENVMGR_DAEMON_BINARY,
                                          {{"ENV_MANAGER_CONFIG", (scratch_ / "config.toml").string()},
                                           {"ENV_MANAGER_PLUGIN_PATH", ENVMGR_PLUGIN_DIR},
                                           {"ENV_MANAGER_GRPC_ADDR", address}},
                                          scratch_ / "daemon.log");
        ASSERT_EQ(failed, "");
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (daemon_.log().find("env-manager ready") == std::string::npos) {
            ASSERT_TRUE(daemon_.running()) << daemon_.log();
            ASSERT_LT(std::chrono::steady_clock::now(), deadline) << daemon_.log();
            std::this_thread::sleep_for(20ms);
        }
        if (address.rfind("unix:", 0) == 0) stub_ = connect(address);
    }

    static std::unique_ptr<pb::EnvManagerService::Stub> connect(const std::string& target) {
        return pb::EnvManagerService::NewStub(
            grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
    }

    static void prepare(grpc::ClientContext& context, std::chrono::seconds timeout = 120s) {
        context.AddMetadata("x-env-manager-tenant", kTenant);
        context.set_deadline(std::chrono::system_clock::now() + timeout);
    }

    // Reads a start to its end; returns its status and the updates.
    grpc::Status start(const std::vector<std::string>& services,
                       std::vector<pb::ServiceStatusUpdate>* updates = nullptr,
                       const std::map<std::string, std::string>& overrides = {}) {
        grpc::ClientContext context;
        prepare(context);
        pb::StartServicesRequest request;
        for (const auto& service : services) request.add_service_names(service);
        request.set_parallel(true);
        for (const auto& [key, value] : overrides) (*request.mutable_overrides())[key] = value;
        auto reader = stub_->StartServices(&context, request);
        pb::ServiceStatusUpdate update;
        while (reader->Read(&update)) {
            if (updates != nullptr) updates->push_back(update);
        }
        return reader->Finish();
    }

    pb::ServicesStatusResponse status(const std::vector<std::string>& services = {}) {
        grpc::ClientContext context;
        prepare(context, 10s);
        pb::GetServicesStatusRequest request;
        for (const auto& service : services) request.add_service_names(service);
        pb::ServicesStatusResponse response;
        const auto answered = stub_->GetServicesStatus(&context, request, &response);
        EXPECT_TRUE(answered.ok()) << answered.error_message();
        return response;
    }

    grpc::Status task(const std::map<std::string, std::string>& payload, pb::ExecuteTaskResponse& response,
                      int timeout_seconds = 20, const std::string& workload_class = "") {
        grpc::ClientContext context;
        prepare(context, 60s);
        pb::ExecuteTaskRequest request;
        request.set_task_id("t-cpp");
        request.set_workload_class(workload_class);
        request.set_timeout_seconds(timeout_seconds);
        for (const auto& [key, value] : payload) (*request.mutable_payload())[key] = value;
        return stub_->ExecuteTask(&context, request, &response);
    }

    std::filesystem::path scratch_;
    DaemonChild daemon_;
    std::unique_ptr<pb::EnvManagerService::Stub> stub_;
};

std::string container_id(const std::string& service) {
    return shell(std::string("docker inspect --format '{{.Id}}' ") + kTenant + "-" + service);
}

TEST_F(GrpcClientTest, TheDefaultStackStreamsToReadyMatchesTheEngineAndStops) {
    start_daemon();
    std::vector<pb::ServiceStatusUpdate> updates;
    const std::vector<std::string> stack(kStack.begin(), kStack.end());
    const auto started = start(stack, &updates);
    ASSERT_TRUE(started.ok()) << started.error_message() << "\n" << daemon_.log();
    std::map<std::string, std::string> last;
    for (const auto& update : updates) {
        EXPECT_GE(update.progress(), 0);
        EXPECT_LE(update.progress(), 100);
        last[update.service_name()] = update.status();
    }
    for (const auto* service : kStack) EXPECT_EQ(last[service], "healthy") << service;

    const auto now = status(stack);
    ASSERT_EQ(now.services_size(), static_cast<int>(kStack.size()));
    for (const auto* service : kStack) {
        const auto& entry = now.services().at(service);
        EXPECT_EQ(entry.status(), "healthy") << service;
        EXPECT_EQ(entry.container_id(), container_id(service)) << service;
        EXPECT_GT(entry.started_at(), 0) << service;
    }
    ASSERT_EQ(now.services().at("redis").ports_size(), 1);
    EXPECT_EQ(now.services().at("redis").ports(0), 6379 + kPortOffset);

    grpc::ClientContext context;
    prepare(context);
    pb::StopServicesRequest request;
    pb::StopServicesResponse response;
    ASSERT_TRUE(stub_->StopServices(&context, request, &response).ok());
    EXPECT_TRUE(response.success());
    for (const auto* service : kStack)
        EXPECT_EQ(response.service_results().at(service), "stopped") << service;
    EXPECT_EQ(shell(std::string("docker ps -q --filter label=env-manager.tenant=") + kTenant), "");
}

TEST_F(GrpcClientTest, AContainerKilledFromOutsideIsSeenOnStreamHealth) {
    start_daemon();
    ASSERT_TRUE(start({"redis"}).ok());
    grpc::ClientContext context;
    prepare(context, 60s);
    pb::StreamHealthRequest request;
    request.add_service_names("redis");
    request.set_interval_seconds(1);
    auto reader = stub_->StreamHealth(&context, request);
    pb::HealthUpdate update;
    ASSERT_TRUE(reader->Read(&update));
    EXPECT_TRUE(update.healthy());
    shell(std::string("docker kill ") + kTenant + "-redis");
    bool seen = false;
    while (!seen && reader->Read(&update)) {
        if (!update.healthy()) {
            seen = true;
            EXPECT_EQ(update.details().at("transition"), "exited");
        }
    }
    EXPECT_TRUE(seen);
    context.TryCancel();
    static_cast<void>(reader->Finish());
}

TEST_F(GrpcClientTest, LogsKeepStdoutAndStderrApart) {
    start_daemon();
    ASSERT_TRUE(start({"talker"}).ok());
    grpc::ClientContext context;
    prepare(context, 20s);
    pb::StreamLogsRequest request;
    request.set_service_name("talker");
    auto reader = stub_->StreamLogs(&context, request);
    std::map<std::string, std::string> stream_of;
    pb::LogEntry entry;
    while (reader->Read(&entry)) {
        stream_of[entry.message()] = entry.stream();
        EXPECT_GT(entry.timestamp(), 0);
        EXPECT_EQ(entry.container_id(), container_id("talker"));
    }
    ASSERT_TRUE(reader->Finish().ok());
    EXPECT_EQ(stream_of["out-line"], "stdout");
    EXPECT_EQ(stream_of["err-line"], "stderr");
}

TEST_F(GrpcClientTest, TasksRunInAServiceAndInAThrowawayContainerAndTimeoutsKill) {
    start_daemon();
    ASSERT_TRUE(start({"talker"}).ok());
    pb::ExecuteTaskResponse in_service;
    ASSERT_TRUE(
        task({{"service", "talker"}, {"command", "sh -c 'cat; echo $X'"}, {"env", "X=42"}, {"stdin", "in\n"}},
             in_service)
            .ok());
    EXPECT_TRUE(in_service.success());
    EXPECT_EQ(in_service.result().at("stdout"), "in\n42\n");

    pb::ExecuteTaskResponse throwaway;
    ASSERT_TRUE(
        task({{"image", kBusybox}, {"command", "sh -c 'echo out; echo err >&2; exit 5'"}}, throwaway).ok());
    EXPECT_FALSE(throwaway.success());
    EXPECT_EQ(throwaway.result().at("exit_code"), "5");
    EXPECT_EQ(throwaway.result().at("stdout"), "out\n");
    EXPECT_EQ(throwaway.result().at("stderr"), "err\n");
    EXPECT_GT(throwaway.latency_ms(), 0);

    pb::ExecuteTaskResponse slow_exec;
    ASSERT_TRUE(task({{"service", "talker"}, {"command", "sleep 39"}}, slow_exec, 1).ok());
    EXPECT_EQ(slow_exec.result().at("timed_out"), "true");
    EXPECT_EQ(shell(std::string("docker exec ") + kTenant + "-talker ps -o args").find("sleep 39"),
              std::string::npos);
    pb::ExecuteTaskResponse slow_run;
    ASSERT_TRUE(task({{"image", kBusybox}, {"command", "sleep 60"}}, slow_run, 1).ok());
    EXPECT_EQ(slow_run.result().at("timed_out"), "true");
    EXPECT_EQ(shell("docker ps -aq --filter label=env-manager.task=t-cpp"), "");
}

TEST_F(GrpcClientTest, PullImagesFromTheLocalRegistryWithRisingProgress) {
    shell(std::string("docker rmi -f ") + kPullProbe);
    start_daemon();
    grpc::ClientContext context;
    prepare(context);
    pb::PullImagesRequest request;
    request.add_image_names(kPullProbe);
    auto reader = stub_->PullImages(&context, request);
    std::vector<pb::ImagePullProgress> updates;
    pb::ImagePullProgress progress;
    while (reader->Read(&progress)) updates.push_back(progress);
    ASSERT_TRUE(reader->Finish().ok());
    ASSERT_GE(updates.size(), 2U);
    for (std::size_t i = 1; i < updates.size(); ++i) {
        EXPECT_GE(updates[i].progress_percent(), updates[i - 1].progress_percent());
        EXPECT_GE(updates[i].current(), updates[i - 1].current());
    }
    EXPECT_EQ(updates.back().status(), "complete");
    EXPECT_EQ(updates.back().progress_percent(), 100);
    EXPECT_NE(shell(std::string("docker image inspect --format ok ") + kPullProbe), "");
}

TEST_F(GrpcClientTest, EveryErrorHasItsCodeAndNamesWhatIsWrong) {
    start_daemon("[tasks]\ncpu_long_capacity = 0\n");
    const auto code_of = [](const grpc::Status& status) { return status.error_code(); };
    {
        grpc::ClientContext context;
        prepare(context);
        pb::GetServicesStatusRequest request;
        request.add_service_names("nope");
        pb::ServicesStatusResponse response;
        const auto answered = stub_->GetServicesStatus(&context, request, &response);
        EXPECT_EQ(code_of(answered), grpc::StatusCode::NOT_FOUND);
        EXPECT_NE(answered.error_message().find("nope"), std::string::npos);
    }
    {
        grpc::ClientContext context;
        context.AddMetadata("x-env-manager-tenant", "nope");
        pb::ServicesStatusResponse response;
        EXPECT_EQ(code_of(stub_->GetServicesStatus(&context, {}, &response)), grpc::StatusCode::NOT_FOUND);
    }
    {
        grpc::ClientContext context;
        prepare(context);
        pb::StopServicesRequest request;
        request.set_timeout_seconds(-1);
        pb::StopServicesResponse response;
        const auto answered = stub_->StopServices(&context, request, &response);
        EXPECT_EQ(code_of(answered), grpc::StatusCode::INVALID_ARGUMENT);
        EXPECT_NE(answered.error_message().find("timeout_seconds"), std::string::npos);
    }
    {
        grpc::ClientContext context;
        prepare(context);
        pb::RestartServiceResponse response;
        const auto answered = stub_->RestartService(&context, {}, &response);
        EXPECT_EQ(code_of(answered), grpc::StatusCode::INVALID_ARGUMENT);
        EXPECT_NE(answered.error_message().find("service_name"), std::string::npos);
    }
    {
        grpc::ClientContext context;
        prepare(context);
        auto reader = stub_->StreamLogs(&context, {});
        pb::LogEntry entry;
        EXPECT_FALSE(reader->Read(&entry));
        EXPECT_EQ(code_of(reader->Finish()), grpc::StatusCode::INVALID_ARGUMENT);
    }
    const auto bad_override = start({"redis"}, nullptr, {{"redis.colour", "red"}});
    EXPECT_EQ(code_of(bad_override), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(bad_override.error_message().find("overrides[redis.colour]"), std::string::npos);
    pb::ExecuteTaskResponse response;
    const auto bad_class = task({{"service", "talker"}, {"command", "true"}}, response, 5, "huge");
    EXPECT_EQ(code_of(bad_class), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(bad_class.error_message().find("workload_class"), std::string::npos);
    EXPECT_EQ(code_of(task({{"service", "talker"}, {"command", "true"}}, response)),
              grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(code_of(task({{"image", kBusybox}, {"command", "true"}}, response, 5, "cpu_long")),
              grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_EQ(code_of(task({{"service", "nope"}, {"command", "true"}}, response)),
              grpc::StatusCode::NOT_FOUND);
}

TEST_F(GrpcClientTest, ATokenIsRequiredWhenConfiguredAndNeverEchoed) {
    std::ofstream(scratch_ / "token") << "s3cret-token\n";
    start_daemon("[plugins.\"frontend.grpc\"]\ntoken_file = \"" + (scratch_ / "token").string() + "\"\n");
    pb::ServicesStatusResponse response;
    {
        grpc::ClientContext context;
        prepare(context);
        const auto refused = stub_->GetServicesStatus(&context, {}, &response);
        EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    }
    {
        grpc::ClientContext context;
        prepare(context);
        context.AddMetadata("authorization", "Bearer wrong");
        const auto refused = stub_->GetServicesStatus(&context, {}, &response);
        EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED);
        EXPECT_EQ(refused.error_message().find("wrong"), std::string::npos);
    }
    grpc::ClientContext context;
    prepare(context);
    context.AddMetadata("authorization", "Bearer s3cret-token");
    EXPECT_TRUE(stub_->GetServicesStatus(&context, {}, &response).ok());
    EXPECT_EQ(daemon_.log().find("s3cret-token"), std::string::npos) << "the token is never logged";
}

TEST_F(GrpcClientTest, ProtectedModeRefusesChangesFromOtherHostsOnly) {
    // A non-loopback address of this host: a client connecting to it is not on loopback.
    const auto address = shell("ip -4 -o addr show scope global | awk '{print $4}' | cut -d/ -f1 | head -1");
    ASSERT_FALSE(address.empty()) << "no non-loopback IPv4 address";
    const auto port = std::to_string(20000 + (::getpid() % 10000));
    start_daemon("", "0.0.0.0:" + port);
    auto remote = connect(address + ":" + port);
    {
        grpc::ClientContext context;
        prepare(context);
        pb::ServicesStatusResponse response;
        EXPECT_TRUE(remote->GetServicesStatus(&context, {}, &response).ok()) << "reading is allowed";
    }
    {
        grpc::ClientContext context;
        prepare(context);
        pb::StopServicesResponse response;
        const auto refused = remote->StopServices(&context, {}, &response);
        EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
        EXPECT_NE(refused.error_message().find("token"), std::string::npos) << refused.error_message();
    }
    auto local = connect("127.0.0.1:" + port);
    grpc::ClientContext context;
    prepare(context);
    pb::StopServicesResponse response;
    EXPECT_TRUE(local->StopServices(&context, {}, &response).ok()) << "loopback may change the stack";
}

}  // namespace
}  // namespace envmgr::tests
