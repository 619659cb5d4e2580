#include "plugins/frontends/grpc/operator_documents.h"

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

namespace pb = ::env_manager::v1;

void fill_service(pb::ServiceTimeline& out, const sdk::TimelineService& service) {
    out.set_service(service.service);
    for (const auto& dependency : service.depends_on) out.add_depends_on(dependency);
    out.set_outcome(service.outcome);
    out.set_message(service.message);
    out.set_pulled(service.pulled);
    out.set_images_begin_ms(service.images_begin);
    out.set_images_end_ms(service.images_end);
    out.set_launched_ms(service.launched);
    out.set_create_begin_ms(service.create_begin);
    out.set_start_begin_ms(service.start_begin);
    out.set_probe_begin_ms(service.probe_begin);
    out.set_ready_ms(service.ready);
    out.set_failed_ms(service.failed);
}

}  // namespace

pb::ListPluginsResponse plugins_response(const sdk::PluginListing& listing) {
    pb::ListPluginsResponse response;
    response.set_host_abi_version(listing.host_abi_version);
    for (const auto& plugin : listing.plugins) {
        auto& out = *response.add_plugins();
        out.set_id(plugin.id);
        out.set_kind(plugin.kind);
        out.set_version(plugin.version);
        out.set_abi_version(plugin.abi_version);
        out.set_description(plugin.description);
        out.set_file(plugin.file);
    }
    for (const auto& refused : listing.refused) {
        auto& out = *response.add_refused();
        out.set_file(refused.file);
        out.set_id(refused.id);
        out.set_reason(refused.reason);
    }
    return response;
}

pb::EffectiveConfigResponse config_response(const sdk::EffectiveConfig& effective) {
    pb::EffectiveConfigResponse response;
    response.set_tenant(effective.tenant);
    response.set_config_json(effective.config.dump());
    return response;
}

pb::StartTimelineResponse timeline_response(const sdk::TimelineDocument& document) {
    pb::StartTimelineResponse response;
    for (const auto& run : document.runs) {
        auto& out = *response.add_runs();
        out.set_tenant(run.tenant);
        out.set_kind(run.kind);
        out.set_started_unix_ms(run.started_unix_ms);
        out.set_total_ms(run.total);
        for (const auto& service : run.services) fill_service(*out.add_services(), service);
        for (const auto& link : run.critical_chain) {
            auto& chain_link = *out.add_critical_chain();
            chain_link.set_service(link.service);
            chain_link.set_at_ms(link.at);
            chain_link.set_took_ms(link.took);
            chain_link.set_waited_for(link.waited_for);
            chain_link.set_wait(link.wait);
        }
        out.set_chain_of(run.chain_of);
    }
    return response;
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
