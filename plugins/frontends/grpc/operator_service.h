// env_manager.v1.OperatorService (operator.proto): the calls envctl needs beyond the
// orchestrator's contract, each one manager operation (plugins.list, config.effective,
// timeline.get, timeline.plot), admitted as EnvManagerService's calls are.
#pragma once

#include "plugins/frontends/grpc/access_policy.h"

#include <env_manager/v1/operator.grpc.pb.h>
#include <envmgr/sdk/sdk.h>

namespace envmgr::plugins::frontends::grpc_frontend {

class OperatorService final : public ::env_manager::v1::OperatorService::CallbackService {
public:
    OperatorService(const sdk::Host& host, AccessSettings access) : host_(host), access_(std::move(access)) {}

    grpc::ServerUnaryReactor* ListPlugins(grpc::CallbackServerContext* context,
                                          const ::env_manager::v1::ListPluginsRequest* request,
                                          ::env_manager::v1::ListPluginsResponse* response) override;
    grpc::ServerUnaryReactor* GetEffectiveConfig(
        grpc::CallbackServerContext* context, const ::env_manager::v1::GetEffectiveConfigRequest* request,
        ::env_manager::v1::EffectiveConfigResponse* response) override;
    grpc::ServerUnaryReactor* GetStartTimeline(grpc::CallbackServerContext* context,
                                               const ::env_manager::v1::GetStartTimelineRequest* request,
                                               ::env_manager::v1::StartTimelineResponse* response) override;
    grpc::ServerUnaryReactor* PlotStartTimeline(
        grpc::CallbackServerContext* context, const ::env_manager::v1::PlotStartTimelineRequest* request,
        ::env_manager::v1::PlotStartTimelineResponse* response) override;

private:
    sdk::Host host_;
    AccessSettings access_;
};

}  // namespace envmgr::plugins::frontends::grpc_frontend
