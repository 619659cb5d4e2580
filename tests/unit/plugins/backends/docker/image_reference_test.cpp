#include "plugins/backends/docker/image_reference.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

TEST(ImageReference, SplitsNameAndTagAndFindsTheRegistry) {
    EXPECT_EQ(split_image_reference("redis:7-alpine"),
              std::make_pair(std::string("redis"), std::string("7-alpine")));
    EXPECT_EQ(split_image_reference("127.0.0.1:5000/a/b"),
              std::make_pair(std::string("127.0.0.1:5000/a/b"), std::string("latest")));
    EXPECT_EQ(split_image_reference("x@sha256:ab").second, "sha256:ab");
    EXPECT_EQ(registry_of("redis:7-alpine"), "docker.io");
    EXPECT_EQ(registry_of("ollama/ollama"), "docker.io");
    EXPECT_EQ(registry_of("127.0.0.1:5000/x"), "127.0.0.1:5000");
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
