// The only export glue of backend.docker; the logic lives in the other files of this folder.
#include "docker_backend.h"

ENVMGR_EXPORT_PLUGIN(envmgr::docker::DockerBackend)
