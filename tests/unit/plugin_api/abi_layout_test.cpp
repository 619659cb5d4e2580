// The ABI layout as the C++ compiler sees it, asserted at compile time, and compared entry by
// entry with what the C compiler measured (abi_layout_c.c): a plugin in either language and
// the host agree on every size and offset.
#include <envmgr/abi.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "tests/unit/plugin_api/abi_layout_table.h"

// What abi_layout_c.c exports: the table as the C compiler measured it.
extern "C" {
struct envmgr_abi_layout_entry {
    const char* type;
    const char* field;  // "" : the size of the type
    std::size_t value;
};
extern const envmgr_abi_layout_entry envmgr_abi_layout_c[];
extern const std::size_t envmgr_abi_layout_c_count;
}

namespace {

static_assert(sizeof(void*) == 8, "the frozen layout is for 64-bit targets");
static_assert(sizeof(envmgr_status) == 4 && sizeof(envmgr_plugin_kind) == 4 &&
              sizeof(envmgr_log_level) == 4 && sizeof(envmgr_metric_kind) == 4);

#define ASSERT_SIZE(type, size) static_assert(sizeof(type) == (size), #type " size changed");
#define ASSERT_FIELD(type, field, offset) \
    static_assert(offsetof(type, field) == (offset), #type "." #field " moved");
ENVMGR_ABI_LAYOUT(ASSERT_SIZE, ASSERT_FIELD)

struct Entry {
    const char* type;
    const char* field;
    std::size_t value;
};
#define ENTRY_SIZE(type, size) Entry{#type, "", sizeof(type)},
#define ENTRY_FIELD(type, field, offset) Entry{#type, #field, offsetof(type, field)},
const Entry kCppLayout[] = {ENVMGR_ABI_LAYOUT(ENTRY_SIZE, ENTRY_FIELD)};

TEST(AbiLayout, TheCAndCppCompilersAgreeOnEverySizeAndOffset) {
    ASSERT_EQ(envmgr_abi_layout_c_count, std::size(kCppLayout));
    for (std::size_t i = 0; i < std::size(kCppLayout); ++i) {
        const auto& c = envmgr_abi_layout_c[i];
        const auto& cpp = kCppLayout[i];
        EXPECT_EQ(std::string(c.type) + "." + c.field, std::string(cpp.type) + "." + cpp.field);
        EXPECT_EQ(c.value, cpp.value) << cpp.type << "." << cpp.field;
    }
}

TEST(AbiLayout, The10PartOfEachGrownStructIsUnchanged) {
    // ABI 1.0 ended the descriptor at kind_api and the host table at unsubscribe.
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, last_error), 88U);
    EXPECT_EQ(offsetof(envmgr_host_api, subscribe_with), 88U);
}

}  // namespace
