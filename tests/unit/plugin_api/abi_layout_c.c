/* The ABI layout as the C compiler sees it: asserted at compile time, and exported as a table
 * that abi_layout_test.cpp compares with the C++ compiler's. */
#include <envmgr/abi.h>

#include <stddef.h>

#include "tests/unit/plugin_api/abi_layout_table.h"

_Static_assert(sizeof(void*) == 8, "the frozen layout is for 64-bit targets");
/* A compiler that shrinks enums (-fshort-enums) cannot change these: they are int32_t. */
_Static_assert(sizeof(envmgr_status) == 4 && sizeof(envmgr_plugin_kind) == 4, "fixed-width ABI integers");

#define ASSERT_SIZE(type, size) _Static_assert(sizeof(type) == (size), #type " size changed");
#define ASSERT_FIELD(type, field, offset) \
    _Static_assert(offsetof(type, field) == (offset), #type "." #field " moved");
ENVMGR_ABI_LAYOUT(ASSERT_SIZE, ASSERT_FIELD)

/* Read by abi_layout_test.cpp, which declares the same struct. */
typedef struct envmgr_abi_layout_entry {
    const char* type;
    const char* field; /* "" : the size of the type */
    size_t value;
} envmgr_abi_layout_entry;

#define ENTRY_SIZE(type, size) {#type, "", sizeof(type)},
#define ENTRY_FIELD(type, field, offset) {#type, #field, offsetof(type, field)},
const envmgr_abi_layout_entry envmgr_abi_layout_c[] = {ENVMGR_ABI_LAYOUT(ENTRY_SIZE, ENTRY_FIELD)};
const size_t envmgr_abi_layout_c_count = sizeof envmgr_abi_layout_c / sizeof envmgr_abi_layout_c[0];
