// The only export glue of probe.exec.
#include "plugins/probes/exec/exec_probe.h"

ENVMGR_EXPORT_PLUGIN(envmgr::plugins::probes::exec::ExecProbe)
