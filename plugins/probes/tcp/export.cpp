// The only export glue of probe.tcp.
#include "plugins/probes/tcp/tcp_probe.h"

ENVMGR_EXPORT_PLUGIN(envmgr::plugins::probes::tcp::TcpProbe)
