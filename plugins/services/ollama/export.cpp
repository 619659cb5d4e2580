// The only export glue of service.ollama.
#include "plugins/services/ollama/ollama_service.h"

ENVMGR_EXPORT_PLUGIN(envmgr::plugins::services::ollama::OllamaService)
