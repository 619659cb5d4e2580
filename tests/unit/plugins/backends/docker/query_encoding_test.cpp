#include "plugins/backends/docker/query_encoding.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

TEST(QueryEncoding, PercentBase64urlAndLabelFilters) {
    EXPECT_EQ(url_encode("a=b c/{}"), "a%3Db%20c%2F%7B%7D");
    EXPECT_EQ(base64url("{\"username\":\"u\"}"), "eyJ1c2VybmFtZSI6InUifQ==");
    EXPECT_EQ(label_filters({{"a", "1"}, {"b", ""}}, "container"),
              R"({"label":["a=1","b"],"type":["container"]})");
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
