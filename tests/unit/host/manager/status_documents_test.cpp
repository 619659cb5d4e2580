#include "host/manager/status_documents.h"

#include <gtest/gtest.h>

namespace envmgr::host::manager {
namespace {

StatusDocuments::Document text(const char* document) {
    return std::make_shared<const std::string>(document);
}

TEST(StatusDocumentsTest, ADocumentIsFoundOnlyForTheVersionsItWasBuiltFrom) {
    StatusDocuments documents;
    const StatusSources built{3, 7, 1000};
    EXPECT_EQ(documents.find("default", built), nullptr);
    documents.keep("default", built, text("a"));
    ASSERT_NE(documents.find("default", built), nullptr);
    EXPECT_EQ(*documents.find("default", built), "a");
    EXPECT_EQ(documents.find("other", built), nullptr);
    EXPECT_EQ(documents.find("default", {4, 7, 1000}), nullptr);  // an instance changed
    EXPECT_EQ(documents.find("default", {3, 8, 1000}), nullptr);  // new resource figures
    EXPECT_EQ(documents.find("default", {3, 7, 1001}), nullptr);  // the next second
}

TEST(StatusDocumentsTest, ABuildFromOlderVersionsDoesNotReplaceANewerOne) {
    StatusDocuments documents;
    documents.keep("default", {5, 1, 1000}, text("newer"));
    documents.keep("default", {4, 1, 1000}, text("older"));  // finished last, began first
    EXPECT_EQ(*documents.find("default", {5, 1, 1000}), "newer");
    EXPECT_EQ(documents.find("default", {4, 1, 1000}), nullptr);
    documents.keep("default", {6, 1, 1000}, text("newest"));
    EXPECT_EQ(*documents.find("default", {6, 1, 1000}), "newest");
}

}  // namespace
}  // namespace envmgr::host::manager
