#include "host/registry/image_reference.h"

#include <gtest/gtest.h>

namespace envmgr::host::registry {
namespace {

TEST(ImageReference, AcceptsWhatTheEngineAccepts) {
    for (const char* valid :
         {"redis", "redis:7-alpine", "ollama/ollama:latest", "127.0.0.1:5000/team/api:1.2",
          "registry.example.com/a/b/c", "localhost:5000/x_y__z-w",
          "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}) {
        EXPECT_EQ(image_reference_problem(valid), std::nullopt) << valid;
    }
}

TEST(ImageReference, SaysWhyNot) {
    EXPECT_EQ(image_reference_problem("Redis:7"),
              "'Redis:7' is not a valid image reference: repository names are lowercase");
    EXPECT_EQ(image_reference_problem("redis 7"), "contains white space");
    for (const char* invalid : {"redis:", "redis:-x", ":7", "a//b", "redis@sha256:short"}) {
        EXPECT_NE(image_reference_problem(invalid), std::nullopt) << invalid;
    }
}

}  // namespace
}  // namespace envmgr::host::registry
