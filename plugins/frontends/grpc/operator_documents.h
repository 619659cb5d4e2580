// The operator's manager operations' results (plugins.list, config.effective, timeline.get) as
// env_manager.v1.OperatorService messages. Protobuf only, like wire_documents.h.
#pragma once

#include <env_manager/v1/operator.pb.h>
#include <envmgr/sdk/documents/operator_documents.h>
#include <envmgr/sdk/documents/timeline_document.h>

namespace envmgr::plugins::frontends::grpc_frontend {

::env_manager::v1::ListPluginsResponse plugins_response(const sdk::PluginListing& listing);
::env_manager::v1::EffectiveConfigResponse config_response(const sdk::EffectiveConfig& effective);
::env_manager::v1::StartTimelineResponse timeline_response(const sdk::TimelineDocument& document);

}  // namespace envmgr::plugins::frontends::grpc_frontend
