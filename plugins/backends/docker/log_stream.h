// Reading an engine log stream (GET /containers/{id}/logs, and a swarm's /services/{id}/logs,
// which answers in the same frames) into container.logs items.
#pragma once

#include "plugins/backends/docker/engine_api.h"

namespace envmgr::plugins::backends::docker {

// Streams the answer to request as `{stream, message, timestamp}` items, one per line, and
// completes op at its end. tty: one raw stream (reported as stdout), else multiplexed frames.
void read_logs(EngineApi& engine, const OperationPtr& op, HttpRequest request, bool tty);

}  // namespace envmgr::plugins::backends::docker
