// The only export glue of backend.docker; the logic lives in the other files of this folder.
#include "plugins/backends/docker/docker_backend.h"

ENVMGR_EXPORT_PLUGIN(envmgr::plugins::backends::docker::DockerBackend)
