// The ABI is frozen per major: these offsets are what every plugin built for 1.x relies on.
// A change here means a new major, never a quiet edit.
#include <envmgr/abi.h>

#include <gtest/gtest.h>

#include <cstddef>

namespace {

static_assert(sizeof(void*) == 8, "the layout below is for 64-bit targets");

TEST(AbiLayout, DescriptorOffsetsAreFrozen) {
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, struct_size), 0U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, abi_major), 4U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, abi_minor), 6U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, kind), 8U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, id), 16U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, version), 24U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, description), 32U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, config_schema_json), 40U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, create), 48U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, destroy), 56U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, start), 64U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, stop), 72U);
    EXPECT_EQ(offsetof(envmgr_plugin_descriptor, kind_api), 80U);
    EXPECT_EQ(sizeof(envmgr_plugin_descriptor), 88U);
}

TEST(AbiLayout, HostApiOffsetsAreFrozen) {
    EXPECT_EQ(offsetof(envmgr_host_api, struct_size), 0U);
    EXPECT_EQ(offsetof(envmgr_host_api, ctx), 8U);
    EXPECT_EQ(offsetof(envmgr_host_api, log), 16U);
    EXPECT_EQ(offsetof(envmgr_host_api, post), 24U);
    EXPECT_EQ(offsetof(envmgr_host_api, record_metric), 32U);
    EXPECT_EQ(offsetof(envmgr_host_api, backend_invoke), 40U);
    EXPECT_EQ(offsetof(envmgr_host_api, backend_cancel), 48U);
    EXPECT_EQ(offsetof(envmgr_host_api, manager_invoke), 56U);
    EXPECT_EQ(offsetof(envmgr_host_api, manager_cancel), 64U);
    EXPECT_EQ(offsetof(envmgr_host_api, subscribe), 72U);
    EXPECT_EQ(offsetof(envmgr_host_api, unsubscribe), 80U);
    EXPECT_EQ(sizeof(envmgr_host_api), 88U);
}

TEST(AbiLayout, KindTablesAndCallbacksAreFrozen) {
    EXPECT_EQ(offsetof(envmgr_callbacks, user_data), 8U);
    EXPECT_EQ(offsetof(envmgr_callbacks, on_item), 16U);
    EXPECT_EQ(offsetof(envmgr_callbacks, on_complete), 24U);
    EXPECT_EQ(offsetof(envmgr_service_api, definitions), 8U);
    EXPECT_EQ(offsetof(envmgr_service_api, resolve), 16U);
    EXPECT_EQ(offsetof(envmgr_service_api, cancel), 24U);
    EXPECT_EQ(offsetof(envmgr_probe_api, probe_type), 8U);
    EXPECT_EQ(offsetof(envmgr_probe_api, check), 16U);
    EXPECT_EQ(offsetof(envmgr_probe_api, cancel), 24U);
    EXPECT_EQ(offsetof(envmgr_backend_api, invoke), 8U);
    EXPECT_EQ(offsetof(envmgr_backend_api, cancel), 16U);
    EXPECT_EQ(offsetof(envmgr_frontend_api, endpoint), 8U);
    EXPECT_EQ(offsetof(envmgr_metric_sample, kind), 4U);
    EXPECT_EQ(offsetof(envmgr_metric_sample, name), 8U);
    EXPECT_EQ(offsetof(envmgr_metric_sample, value), 40U);
}

TEST(AbiLayout, StatusValuesAreFrozen) {
    EXPECT_EQ(ENVMGR_STATUS_OK, 0);
    EXPECT_EQ(ENVMGR_STATUS_NOT_FOUND, 1);
    EXPECT_EQ(ENVMGR_STATUS_UNSUPPORTED, 8);
    EXPECT_EQ(ENVMGR_PLUGIN_KIND_FRONTEND, 4);
}

}  // namespace
