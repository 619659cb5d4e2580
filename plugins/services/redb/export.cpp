// The only export glue of service.redb.
#include "plugins/services/redb/redb_service.h"

ENVMGR_EXPORT_PLUGIN(envmgr::plugins::services::redb::RedbService)
