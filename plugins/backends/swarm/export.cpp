// The only export glue of backend.swarm; the logic lives in the other files of this folder.
#include "plugins/backends/swarm/swarm_backend.h"

ENVMGR_EXPORT_PLUGIN(envmgr::plugins::backends::swarm::SwarmBackend)
