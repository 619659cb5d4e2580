#include "plugins/frontends/grpc/status_responses.h"

#include <env_manager/v1/env_manager.pb.h>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

std::string document(const std::string& redis_state) {
    return nlohmann::json{{"timestamp", 1000},
                          {"services",
                           {{{"name", "redis"}, {"tenant", "default"}, {"state", redis_state}},
                            {{"name", "redb"}, {"tenant", "default"}, {"state", "healthy"}}}}}
        .dump();
}

std::string bytes_of(StatusResponses::Answer& answer) {
    std::vector<grpc::Slice> slices;
    EXPECT_TRUE(answer.bytes.Dump(&slices).ok());
    std::string bytes;
    for (const auto& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    return bytes;
}

::env_manager::v1::ServicesStatusResponse parsed(StatusResponses::Answer& answer) {
    ::env_manager::v1::ServicesStatusResponse response;
    EXPECT_TRUE(response.ParseFromString(bytes_of(answer)));
    return response;
}

TEST(StatusResponsesTest, TheSameDocumentIsAnsweredWithTheKeptBytes) {
    StatusResponses responses;
    auto first = responses.answer("default", {}, document("healthy"));
    auto second = responses.answer("default", {}, document("healthy"));
    EXPECT_EQ(responses.conversions(), 1U);
    ASSERT_TRUE(first.status.ok());
    EXPECT_EQ(bytes_of(first), bytes_of(second));  // the very bytes made for the first
    EXPECT_EQ(parsed(second).services_size(), 2);
}

TEST(StatusResponsesTest, AChangedDocumentIsNeverAnsweredWithOldBytes) {
    StatusResponses responses;
    auto before = responses.answer("default", {}, document("starting"));
    auto after = responses.answer("default", {}, document("healthy"));
    EXPECT_EQ(responses.conversions(), 2U);
    EXPECT_EQ(parsed(before).services().at("redis").status(), "starting");
    EXPECT_EQ(parsed(after).services().at("redis").status(), "healthy");
}

TEST(StatusResponsesTest, EachSelectionHasItsOwnAnswerAndAnUnknownNameIsNotFound) {
    StatusResponses responses;
    auto one = responses.answer("default", {"redb"}, document("healthy"));
    EXPECT_EQ(parsed(one).services_size(), 1);
    auto unknown = responses.answer("default", {"nope"}, document("healthy"));
    EXPECT_EQ(unknown.status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_NE(unknown.status.error_message().find("'nope'"), std::string::npos);
    auto again = responses.answer("default", {"nope"}, document("healthy"));
    EXPECT_EQ(again.status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(responses.conversions(), 2U);
}

TEST(StatusResponsesTest, SelectionsKeptAreBounded) {
    StatusResponses responses;
    for (std::size_t i = 0; i < StatusResponses::kMaxSelections + 10; ++i) {
        responses.answer("default", {"redis", std::to_string(i)}, document("healthy"));
    }
    const auto made = responses.conversions();
    responses.answer("default", {"redis", "0"}, document("healthy"));  // gave way to later ones
    EXPECT_EQ(responses.conversions(), made + 1);
    const auto last = std::to_string(StatusResponses::kMaxSelections + 9);
    responses.answer("default", {"redis", last}, document("healthy"));  // still kept
    EXPECT_EQ(responses.conversions(), made + 1);
}

}  // namespace
}  // namespace envmgr::plugins::frontends::grpc_frontend
