/* The ABI layout measured by the C compiler (abi_layout_c.c). */
#ifndef ENVMGR_TESTS_ABI_LAYOUT_C_H
#define ENVMGR_TESTS_ABI_LAYOUT_C_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct envmgr_abi_layout_entry {
    const char* type;
    const char* field; /* "" : the size of the type */
    size_t value;
} envmgr_abi_layout_entry;

extern const envmgr_abi_layout_entry envmgr_abi_layout_c[];
extern const size_t envmgr_abi_layout_c_count;

#ifdef __cplusplus
}
#endif

#endif
