// The operator's manager operations' results (plugins.list, config.effective, timeline.get) as
// env_manager.v1.OperatorService messages. Protobuf only, like wire_documents.h.
#pragma once

#include <env_manager/v1/operator.pb.h>
#include <envmgr/sdk/documents/timeline_document.h>

#include <string_view>

namespace envmgr::plugins::frontends::grpc_frontend {

::env_manager::v1::ListPluginsResponse plugins_response(std::string_view listing_json);
::env_manager::v1::EffectiveConfigResponse config_response(std::string_view effective_json);
::env_manager::v1::StartTimelineResponse timeline_response(const sdk::TimelineDocument& document);

}  // namespace envmgr::plugins::frontends::grpc_frontend
