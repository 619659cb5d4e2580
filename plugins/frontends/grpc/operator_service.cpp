#include "plugins/frontends/grpc/operator_service.h"

#include "plugins/frontends/grpc/call_admission.h"
#include "plugins/frontends/grpc/call_support.h"
#include "plugins/frontends/grpc/operator_documents.h"
#include "plugins/frontends/grpc/wire_documents.h"

namespace envmgr::plugins::frontends::grpc_frontend {

namespace pb = ::env_manager::v1;

grpc::ServerUnaryReactor* OperatorService::ListPlugins(grpc::CallbackServerContext* context,
                                                       const pb::ListPluginsRequest* /*request*/,
                                                       pb::ListPluginsResponse* response) {
    std::string tenant;
    if (auto status = admit_call(access_, context, false, tenant); !status.ok()) {
        return refuse(context, status);
    }
    return UnaryOperation::run(
        host_, "plugins.list", {{"tenant", tenant}}, [response](const sdk::Result& result) {
            if (!result.ok()) return grpc_status(result.status, result.payload);
            *response = plugins_response(read_or_default<sdk::PluginListing>(result.payload));
            return grpc::Status::OK;
        });
}

grpc::ServerUnaryReactor* OperatorService::GetEffectiveConfig(
    grpc::CallbackServerContext* context, const pb::GetEffectiveConfigRequest* /*request*/,
    pb::EffectiveConfigResponse* response) {
    std::string tenant;
    // Secrets are masked, but the rest of an environment can still say too much off this host.
    if (auto status = admit_call(access_, context, true, tenant); !status.ok()) {
        return refuse(context, status);
    }
    return UnaryOperation::run(
        host_, "config.effective", {{"tenant", tenant}}, [response](const sdk::Result& result) {
            if (!result.ok()) return grpc_status(result.status, result.payload);
            *response = config_response(read_or_default<sdk::EffectiveConfig>(result.payload));
            return grpc::Status::OK;
        });
}

grpc::ServerUnaryReactor* OperatorService::GetStartTimeline(grpc::CallbackServerContext* context,
                                                            const pb::GetStartTimelineRequest* request,
                                                            pb::StartTimelineResponse* response) {
    std::string tenant;
    if (auto status = admit_call(access_, context, false, tenant); !status.ok()) {
        return refuse(context, status);
    }
    if (request->chain_of().size() > sdk::kMaxServiceName) {
        return refuse(context, invalid("chain_of: " + std::to_string(request->chain_of().size()) +
                                       " characters; a service name has at most " +
                                       std::to_string(sdk::kMaxServiceName)));
    }
    return UnaryOperation::run(
        host_, "timeline.get", {{"tenant", tenant}, {"chain_of", request->chain_of()}},
        [response](const sdk::Result& result) {
            if (!result.ok()) return grpc_status(result.status, result.payload);
            *response = timeline_response(
                sdk::read_document<sdk::TimelineDocument>(result.payload).value_or(sdk::TimelineDocument{}));
            return grpc::Status::OK;
        });
}

grpc::ServerUnaryReactor* OperatorService::PlotStartTimeline(grpc::CallbackServerContext* context,
                                                             const pb::PlotStartTimelineRequest* request,
                                                             pb::PlotStartTimelineResponse* response) {
    std::string tenant;
    if (auto status = admit_call(access_, context, false, tenant); !status.ok()) {
        return refuse(context, status);
    }
    return UnaryOperation::run(host_, "timeline.plot", {{"tenant", tenant}, {"run", request->run()}},
                               [response](const sdk::Result& result) {
                                   if (!result.ok()) return grpc_status(result.status, result.payload);
                                   response->set_svg(read_or_default<sdk::TimelinePlot>(result.payload).svg);
                                   return grpc::Status::OK;
                               });
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
