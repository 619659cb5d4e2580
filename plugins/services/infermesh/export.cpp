// The only export glue of service.infermesh.
#include "plugins/services/infermesh/infermesh_service.h"

ENVMGR_EXPORT_PLUGIN(envmgr::plugins::services::infermesh::InfermeshService)
