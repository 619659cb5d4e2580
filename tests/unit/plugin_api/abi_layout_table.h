/* The frozen layout of every ABI struct on 64-bit targets, as an X-macro list: compiled by the C
 * compiler (abi_layout_c.c) and the C++ compiler (abi_layout_test.cpp), each with static
 * assertions, so that an accidental change fails the build in either language, and compared
 * at run time. ABI 1.1: only appended fields since 1.0 (the 1.0 sizes are the offsets of the
 * first 1.1 field). A change here means a new major, never a quiet edit. */
#ifndef ENVMGR_TESTS_ABI_LAYOUT_TABLE_H
#define ENVMGR_TESTS_ABI_LAYOUT_TABLE_H

#define ENVMGR_ABI_LAYOUT(ENVMGR_ABI_SIZE, ENVMGR_ABI_FIELD)           \
    ENVMGR_ABI_SIZE(envmgr_callbacks, 32)                              \
    ENVMGR_ABI_FIELD(envmgr_callbacks, struct_size, 0)                 \
    ENVMGR_ABI_FIELD(envmgr_callbacks, user_data, 8)                   \
    ENVMGR_ABI_FIELD(envmgr_callbacks, on_item, 16)                    \
    ENVMGR_ABI_FIELD(envmgr_callbacks, on_complete, 24)                \
    ENVMGR_ABI_SIZE(envmgr_metric_label, 16)                           \
    ENVMGR_ABI_FIELD(envmgr_metric_label, name, 0)                     \
    ENVMGR_ABI_FIELD(envmgr_metric_label, value, 8)                    \
    ENVMGR_ABI_SIZE(envmgr_metric_sample, 48)                          \
    ENVMGR_ABI_FIELD(envmgr_metric_sample, struct_size, 0)             \
    ENVMGR_ABI_FIELD(envmgr_metric_sample, kind, 4)                    \
    ENVMGR_ABI_FIELD(envmgr_metric_sample, name, 8)                    \
    ENVMGR_ABI_FIELD(envmgr_metric_sample, help, 16)                   \
    ENVMGR_ABI_FIELD(envmgr_metric_sample, labels, 24)                 \
    ENVMGR_ABI_FIELD(envmgr_metric_sample, label_count, 32)            \
    ENVMGR_ABI_FIELD(envmgr_metric_sample, value, 40)                  \
    ENVMGR_ABI_SIZE(envmgr_subscription_options, 24)                   \
    ENVMGR_ABI_FIELD(envmgr_subscription_options, struct_size, 0)      \
    ENVMGR_ABI_FIELD(envmgr_subscription_options, queue_depth, 4)      \
    ENVMGR_ABI_FIELD(envmgr_subscription_options, topic_prefix, 8)     \
    ENVMGR_ABI_FIELD(envmgr_subscription_options, flags, 16)           \
    ENVMGR_ABI_SIZE(envmgr_host_api, 104)                              \
    ENVMGR_ABI_FIELD(envmgr_host_api, struct_size, 0)                  \
    ENVMGR_ABI_FIELD(envmgr_host_api, abi_major, 4)                    \
    ENVMGR_ABI_FIELD(envmgr_host_api, abi_minor, 6)                    \
    ENVMGR_ABI_FIELD(envmgr_host_api, ctx, 8)                          \
    ENVMGR_ABI_FIELD(envmgr_host_api, log, 16)                         \
    ENVMGR_ABI_FIELD(envmgr_host_api, post, 24)                        \
    ENVMGR_ABI_FIELD(envmgr_host_api, record_metric, 32)               \
    ENVMGR_ABI_FIELD(envmgr_host_api, backend_invoke, 40)              \
    ENVMGR_ABI_FIELD(envmgr_host_api, backend_cancel, 48)              \
    ENVMGR_ABI_FIELD(envmgr_host_api, manager_invoke, 56)              \
    ENVMGR_ABI_FIELD(envmgr_host_api, manager_cancel, 64)              \
    ENVMGR_ABI_FIELD(envmgr_host_api, subscribe, 72)                   \
    ENVMGR_ABI_FIELD(envmgr_host_api, unsubscribe, 80)                 \
    ENVMGR_ABI_FIELD(envmgr_host_api, subscribe_with, 88)              \
    ENVMGR_ABI_FIELD(envmgr_host_api, render_metrics, 96)              \
    ENVMGR_ABI_SIZE(envmgr_service_api, 32)                            \
    ENVMGR_ABI_FIELD(envmgr_service_api, struct_size, 0)               \
    ENVMGR_ABI_FIELD(envmgr_service_api, definitions, 8)               \
    ENVMGR_ABI_FIELD(envmgr_service_api, resolve, 16)                  \
    ENVMGR_ABI_FIELD(envmgr_service_api, cancel, 24)                   \
    ENVMGR_ABI_SIZE(envmgr_probe_api, 32)                              \
    ENVMGR_ABI_FIELD(envmgr_probe_api, struct_size, 0)                 \
    ENVMGR_ABI_FIELD(envmgr_probe_api, probe_type, 8)                  \
    ENVMGR_ABI_FIELD(envmgr_probe_api, check, 16)                      \
    ENVMGR_ABI_FIELD(envmgr_probe_api, cancel, 24)                     \
    ENVMGR_ABI_SIZE(envmgr_backend_api, 24)                            \
    ENVMGR_ABI_FIELD(envmgr_backend_api, struct_size, 0)               \
    ENVMGR_ABI_FIELD(envmgr_backend_api, invoke, 8)                    \
    ENVMGR_ABI_FIELD(envmgr_backend_api, cancel, 16)                   \
    ENVMGR_ABI_SIZE(envmgr_frontend_api, 16)                           \
    ENVMGR_ABI_FIELD(envmgr_frontend_api, struct_size, 0)              \
    ENVMGR_ABI_FIELD(envmgr_frontend_api, endpoint, 8)                 \
    ENVMGR_ABI_SIZE(envmgr_plugin_descriptor, 104)                     \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, struct_size, 0)         \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, abi_major, 4)           \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, abi_minor, 6)           \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, kind, 8)                \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, id, 16)                 \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, version, 24)            \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, description, 32)        \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, config_schema_json, 40) \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, create, 48)             \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, destroy, 56)            \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, start, 64)              \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, stop, 72)               \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, kind_api, 80)           \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, last_error, 88)         \
    ENVMGR_ABI_FIELD(envmgr_plugin_descriptor, flags, 96)

#endif
