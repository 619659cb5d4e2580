#include "plugins/backends/docker/operation_table.h"

namespace envmgr::plugins::backends::docker {

const OperationTable& operation_table() {
    static const OperationTable table = [] {
        OperationTable all;
        add_system_operations(all);
        add_image_operations(all);
        add_container_operations(all);
        add_logs_operations(all);
        add_exec_operations(all);
        add_run_operations(all);
        add_events_operations(all);
        add_object_operations(all);
        return all;
    }();
    return table;
}

}  // namespace envmgr::plugins::backends::docker
