// The plugin's entry point: one translation unit, so the descriptor is built once.
#include "plugins/frontends/metrics/metrics_frontend.h"

ENVMGR_EXPORT_PLUGIN(envmgr::plugins::frontends::metrics_frontend::MetricsFrontend)
