#include "host/tasks/task_output.h"

#include <gtest/gtest.h>

#include <string>

namespace envmgr::host::tasks {
namespace {

std::string repeated(const std::string& piece, std::size_t bytes) {
    std::string text;
    while (text.size() < bytes) text += piece;
    return text;
}

bool ends_with_mark(const std::string& text) {
    return text.size() >= kTaskOutputTruncatedMark.size() &&
           text.compare(text.size() - kTaskOutputTruncatedMark.size(), std::string::npos,
                        kTaskOutputTruncatedMark) == 0;
}

TEST(TaskOutput, OutputWithinTheBoundIsLeftAsItIs) {
    nlohmann::json result{{"stdout", "hello\n"}, {"stderr", ""}, {"truncated", false}, {"exit_code", 0}};
    const auto before = result;
    bound_task_output(result);
    EXPECT_EQ(result, before);
}

TEST(TaskOutput, BinaryOutputGrownByReplacementCharactersIsCutAtACharacterBoundary) {
    // 1 MiB of invalid bytes from the engine, each now U+FFFD (3 bytes): 3 MiB a stream.
    const std::string replaced = repeated("\xEF\xBF\xBD", 3U << 20U);
    nlohmann::json result{{"stdout", replaced}, {"stderr", "x" + replaced}, {"truncated", true}};
    bound_task_output(result);
    for (const char* stream : {"stdout", "stderr"}) {
        const auto& text = result[stream].get_ref<const std::string&>();
        ASSERT_TRUE(ends_with_mark(text)) << stream;
        const auto kept = text.size() - kTaskOutputTruncatedMark.size();
        EXPECT_LE(kept, kTaskOutputLimit) << stream;
        EXPECT_GT(kept, kTaskOutputLimit - 3) << stream;
        // Whole characters only: the kept part is valid UTF-8 (nlohmann's strict dump throws otherwise).
        EXPECT_NO_THROW((void)nlohmann::json(text.substr(0, kept)).dump()) << stream;
    }
    EXPECT_TRUE(result["truncated"]);
}

TEST(TaskOutput, GrowthAloneIsATruncationEvenWhenTheBackendCutNothing) {
    nlohmann::json result{{"stdout", repeated("\xEF\xBF\xBD", kTaskOutputLimit + 30)}, {"truncated", false}};
    bound_task_output(result);
    EXPECT_TRUE(ends_with_mark(result["stdout"].get<std::string>()));
    EXPECT_TRUE(result["truncated"]);
}

TEST(TaskOutput, TheBackendsCutIsMarkedOnTheStreamThatReachedTheBound) {
    nlohmann::json result{
        {"stdout", std::string(kTaskOutputLimit, 'a')}, {"stderr", "short"}, {"truncated", true}};
    bound_task_output(result);
    EXPECT_TRUE(ends_with_mark(result["stdout"].get<std::string>()));
    EXPECT_EQ(result["stderr"], "short");
}

}  // namespace
}  // namespace envmgr::host::tasks
