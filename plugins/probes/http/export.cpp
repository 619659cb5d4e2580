// The only export glue of probe.http.
#include "plugins/probes/http/http_probe.h"

ENVMGR_EXPORT_PLUGIN(envmgr::plugins::probes::http::HttpProbe)
