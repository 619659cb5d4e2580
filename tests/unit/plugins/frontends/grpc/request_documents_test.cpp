#include "plugins/frontends/grpc/request_documents.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

using ::testing::HasSubstr;

TEST(RequestDocuments, AStartBecomesItsManagerDocument) {
    pb::StartServicesRequest request;
    request.add_service_names("redis");
    request.set_parallel(true);
    (*request.mutable_overrides())["redis.env.FOO"] = "1";
    const auto document = start_document("blue", request);
    ASSERT_TRUE(document.ok()) << document.invalid;
    EXPECT_EQ(document.body,
              nlohmann::json::parse(R"({"tenant": "blue", "services": ["redis"], "parallel": true,
                                                        "overrides": {"redis.env.FOO": "1"}})"));
}

TEST(RequestDocuments, NegativeNumbersAreRefusedNamingTheField) {
    pb::StopServicesRequest stop;
    stop.set_timeout_seconds(-1);
    EXPECT_EQ(stop_document("default", stop).invalid,
              "timeout_seconds: must be >= 0 (0: each service's own grace period), got -1");
    pb::StreamLogsRequest logs;
    logs.set_service_name("redis");
    logs.set_tail(-2);
    EXPECT_EQ(logs_document("default", logs).invalid, "tail: must be >= 0 (0: all), got -2");
    pb::StreamHealthRequest health;
    health.set_interval_seconds(-3);
    EXPECT_EQ(health_selection(health, std::chrono::seconds(10)).invalid,
              "interval_seconds: must be >= 0 (0: every 10 s), got -3");
    EXPECT_EQ(restart_document("default", {}).invalid, "service_name: required");
}

// A caller's name longer than any real one is refused by its length: the answer names the
// field and the length, never the name itself.
TEST(RequestDocuments, OversizedNamesAreRefusedWithoutEchoingThem) {
    const std::string huge(100'000, 'n');
    pb::GetServicesStatusRequest status;
    status.add_service_names("redis");
    status.add_service_names(huge);
    const auto refused = status_selection(status);
    EXPECT_EQ(refused.invalid, "service_names[1]: 100000 characters; a service name has at most 63");
    pb::PullImagesRequest pull;
    pull.add_image_names(huge);
    EXPECT_THAT(pull_document("default", pull).invalid, HasSubstr("image_names[0]: 100000 characters"));
    pb::ExecuteTaskRequest task;
    (*task.mutable_payload())["image"] = huge;
    EXPECT_THAT(task_document("default", task).invalid, HasSubstr("payload.image: 100000 characters"));
    pb::StartServicesRequest start;
    (*start.mutable_overrides())[huge] = "x";
    EXPECT_THAT(start_document("default", start).invalid, HasSubstr("overrides: 100000 characters"));
    for (const auto& message :
         {refused.invalid, pull_document("default", pull).invalid, task_document("default", task).invalid,
          start_document("default", start).invalid}) {
        EXPECT_LT(message.size(), 200U);
    }
    pb::StreamHealthRequest health;
    health.add_service_names(std::string(63, 'a'));  // the longest real name passes
    EXPECT_TRUE(health_selection(health, std::chrono::seconds(10)).ok());
}

TEST(RequestDocuments, AHealthStreamSelectsItsServicesAndItsHeartbeat) {
    pb::StreamHealthRequest health;
    health.add_service_names("redis");
    health.add_service_names("redb");
    auto selection = health_selection(health, std::chrono::seconds(10));
    ASSERT_TRUE(selection.ok());
    EXPECT_EQ(selection.names, (std::vector<std::string>{"redis", "redb"}));
    EXPECT_EQ(selection.interval, std::chrono::seconds(10));  // 0 asks for the default
    health.set_interval_seconds(3);
    EXPECT_EQ(health_selection(health, std::chrono::seconds(10)).interval, std::chrono::seconds(3));
    EXPECT_TRUE(status_selection({}).names.empty());  // none named: every service
}

}  // namespace
}  // namespace envmgr::plugins::frontends::grpc_frontend
