#include "plugins/frontends/grpc/env_manager_service.h"

#include "plugins/frontends/grpc/status_codes.h"
#include "plugins/frontends/grpc/stream_channel.h"
#include "plugins/frontends/grpc/wire_documents.h"

#include <boost/asio/steady_timer.hpp>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <utility>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

constexpr const char* kTenantKey = "x-env-manager-tenant";

std::optional<std::string> metadata(const grpc::CallbackServerContext* context, const std::string& key) {
    const auto& entries = context->client_metadata();
    const auto found = entries.find(key);
    if (found == entries.end()) return std::nullopt;
    return std::string(found->second.data(), found->second.size());
}

nlohmann::json names_of(const google::protobuf::RepeatedPtrField<std::string>& names) {
    auto list = nlohmann::json::array();
    for (const auto& name : names) list.push_back(name);
    return list;
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A manager operation in flight for one gRPC call: cancelled when the call ends first (the
// operation completes CANCELLED; the work it started goes on, manager-operations.md). Whoever
// claims it first (the operation's completion, or the call's cancellation) answers the call.
struct PendingOperation {
    std::mutex mutex;
    envmgr_operation_id id = 0;
    bool claimed = false;

    void started(envmgr_operation_id operation) {
        const std::lock_guard lock(mutex);
        if (!claimed) id = operation;
    }
    bool claim() {
        const std::lock_guard lock(mutex);
        return !std::exchange(claimed, true);
    }
    // Cancels the operation if it has not completed; true when the caller now answers the call.
    bool cancel(const sdk::Host& host) {
        envmgr_operation_id running = 0;
        {
            const std::lock_guard lock(mutex);
            if (claimed) return false;
            claimed = true;
            running = id;
        }
        if (running != 0) host.manager_cancel(running);
        return true;
    }
};

// A unary call answered by one manager operation; to_response fills the response from the
// operation's result and gives the call's status. A call cancelled first (the client went away,
// its deadline passed, the server shuts down) is answered CANCELLED at once, so it never waits
// on an operation that may not complete any more.
class UnaryOperation final : public grpc::ServerUnaryReactor {
public:
    using ToResponse = std::function<grpc::Status(const sdk::Result&)>;

    static grpc::ServerUnaryReactor* run(const sdk::Host& host, const std::string& operation,
                                         const nlohmann::json& request, ToResponse to_response) {
        auto* call = new UnaryOperation(host);
        const auto pending = call->pending_;
        const auto id = host.manager_invoke(
            operation, request.dump(),
            [call, pending, to_response = std::move(to_response)](const sdk::Result& result) {
                if (!pending->claim()) return;
                // Whatever happens, the call is answered: a call
                // never answered would hold up the server's shutdown.
                grpc::Status status;
                try {
                    status = to_response(result);
                } catch (const std::exception& e) {
                    status = {grpc::StatusCode::INTERNAL,
                              std::string("unexpected answer from the host: ") + e.what()};
                }
                call->Finish(status);
            });
        pending->started(id);
        return call;
    }

    void OnCancel() override {
        if (pending_->cancel(host_)) Finish(grpc::Status::CANCELLED);
    }
    void OnDone() override { delete this; }

private:
    explicit UnaryOperation(const sdk::Host& host)
        : host_(host), pending_(std::make_shared<PendingOperation>()) {}

    sdk::Host host_;
    std::shared_ptr<PendingOperation> pending_;
};

grpc::ServerUnaryReactor* refuse(grpc::CallbackServerContext* context, const grpc::Status& status) {
    auto* reactor = context->DefaultReactor();
    reactor->Finish(status);
    return reactor;
}

template <class Message>
grpc::ServerWriteReactor<Message>* refuse_stream(const grpc::Status& status) {
    auto channel = StreamChannel<Message>::make(0);
    auto* reactor = channel->reactor();
    channel->finish(status);
    return reactor;
}

grpc::Status invalid(const std::string& message) {
    return {grpc::StatusCode::INVALID_ARGUMENT, message};
}

}  // namespace

EnvManagerService::EnvManagerService(const sdk::Host& host, AccessSettings access,
                                     boost::asio::io_context& timers, ServiceOptions options)
    : host_(host), access_(std::move(access)), timers_(timers), options_(options) {}

grpc::Status EnvManagerService::admit(grpc::CallbackServerContext* context, bool mutating,
                                      std::string& tenant) const {
    auto status = check_access(access_, context->peer(), metadata(context, "authorization"), mutating);
    if (!status.ok()) return status;
    tenant = metadata(context, kTenantKey).value_or("default");
    if (tenant.empty()) return invalid(std::string(kTenantKey) + ": empty tenant name");
    return grpc::Status::OK;
}

grpc::ServerWriteReactor<pb::ServiceStatusUpdate>* EnvManagerService::StartServices(
    grpc::CallbackServerContext* context, const pb::StartServicesRequest* request) {
    std::string tenant;
    if (auto status = admit(context, true, tenant); !status.ok()) {
        return refuse_stream<pb::ServiceStatusUpdate>(status);
    }
    if (!request->overrides().empty()) {
        return refuse_stream<pb::ServiceStatusUpdate>(
            {grpc::StatusCode::UNIMPLEMENTED,
             "overrides: per-request overrides are not supported by this env-manager yet; "
             "change the service in the configuration ([services.NAME]) instead"});
    }
    auto channel = StreamChannel<pb::ServiceStatusUpdate>::make(0);
    auto* reactor = channel->reactor();
    auto pending = std::make_shared<PendingOperation>();
    // A client that goes away stops listening, not the start (manager-operations.md).
    channel->on_end([host = host_, pending] { static_cast<void>(pending->cancel(host)); });
    const nlohmann::json body{{"tenant", tenant},
                              {"services", names_of(request->service_names())},
                              {"parallel", request->parallel()}};
    const auto id = host_.manager_invoke(
        "services.start", body.dump(),
        [channel, pending](const sdk::Result& result) {
            pending->claim();
            if (!result.ok()) {
                // The last update names the service that failed the start and why.
                if (const auto failed = failed_service_of(result.payload); !failed.empty()) {
                    pb::ServiceStatusUpdate last;
                    last.set_service_name(failed);
                    last.set_status("failed");
                    last.set_message(result.payload);
                    channel->push(std::move(last));
                }
            }
            channel->finish(grpc_status(result.status, result.payload));
        },
        [channel](std::string_view item) {
            channel->push(status_update(nlohmann::json::parse(item, nullptr, false)));
        });
    pending->started(id);
    return reactor;
}

grpc::ServerUnaryReactor* EnvManagerService::StopServices(grpc::CallbackServerContext* context,
                                                          const pb::StopServicesRequest* request,
                                                          pb::StopServicesResponse* response) {
    std::string tenant;
    if (auto status = admit(context, true, tenant); !status.ok()) return refuse(context, status);
    if (request->timeout_seconds() < 0) {
        return refuse(context,
                      invalid("timeout_seconds: must be >= 0 (0: each service's own grace period), got " +
                              std::to_string(request->timeout_seconds())));
    }
    const nlohmann::json body{{"tenant", tenant},
                              {"services", names_of(request->service_names())},
                              {"timeout_seconds", request->timeout_seconds()}};
    return UnaryOperation::run(host_, "services.stop", body, [response](const sdk::Result& result) {
        if (!result.ok()) return grpc_status(result.status, result.payload);
        *response = stop_response(nlohmann::json::parse(result.payload, nullptr, false));
        return grpc::Status::OK;
    });
}

grpc::ServerUnaryReactor* EnvManagerService::RestartService(grpc::CallbackServerContext* context,
                                                            const pb::RestartServiceRequest* request,
                                                            pb::RestartServiceResponse* response) {
    std::string tenant;
    if (auto status = admit(context, true, tenant); !status.ok()) return refuse(context, status);
    if (request->service_name().empty()) return refuse(context, invalid("service_name: required"));
    if (request->timeout_seconds() < 0) {
        return refuse(context,
                      invalid("timeout_seconds: must be >= 0 (0: the service's own grace period), got " +
                              std::to_string(request->timeout_seconds())));
    }
    const nlohmann::json body{{"tenant", tenant},
                              {"services", nlohmann::json::array({request->service_name()})},
                              {"timeout_seconds", request->timeout_seconds()}};
    return UnaryOperation::run(host_, "services.restart", body, [response](const sdk::Result& result) {
        // A restart that did not bring a service back is its answer; anything else that failed
        // (an unknown service, bad input, a daemon shutting down) is an error of the call.
        if (!result.ok() && failed_service_of(result.payload).empty()) {
            return grpc_status(result.status, result.payload);
        }
        response->set_success(result.ok());
        response->set_message(result.ok() ? "restarted: ready again" : result.payload);
        return grpc::Status::OK;
    });
}

grpc::ServerUnaryReactor* EnvManagerService::GetServicesStatus(grpc::CallbackServerContext* context,
                                                               const pb::GetServicesStatusRequest* request,
                                                               pb::ServicesStatusResponse* response) {
    std::string tenant;
    if (auto status = admit(context, false, tenant); !status.ok()) return refuse(context, status);
    std::vector<std::string> names(request->service_names().begin(), request->service_names().end());
    return UnaryOperation::run(
        host_, "status.snapshot", {{"tenant", tenant}}, [response, names, tenant](const sdk::Result& result) {
            if (!result.ok()) return grpc_status(result.status, result.payload);
            std::string unknown;
            *response =
                services_status(nlohmann::json::parse(result.payload, nullptr, false), names, unknown);
            if (!unknown.empty()) {
                return grpc::Status(grpc::StatusCode::NOT_FOUND,
                                    "service_names: no service '" + unknown + "' in tenant '" + tenant + "'");
            }
            return grpc::Status::OK;
        });
}

namespace {

// One StreamHealth call: the bus subscription, the heartbeat timer and the last update of each
// service (what a heartbeat repeats: no engine call, no manager call per beat). The timer is
// only ever touched on the timers' io thread.
struct HealthStream {
    std::string tenant;
    std::vector<std::string> names;  // empty: every service of the tenant
    std::chrono::seconds interval{10};
    std::weak_ptr<StreamChannel<pb::HealthUpdate>> channel;
    sdk::Host::Subscription subscription;
    std::shared_ptr<PendingOperation> snapshot = std::make_shared<PendingOperation>();
    boost::asio::io_context* io = nullptr;
    std::unique_ptr<boost::asio::steady_timer> timer;
    std::mutex mutex;  // last, and the order of what is pushed
    std::map<std::string, pb::HealthUpdate> last;

    HealthStream() = default;
    HealthStream(const HealthStream&) = delete;
    HealthStream& operator=(const HealthStream&) = delete;
    ~HealthStream() {
        // The timer goes on its own thread, never under a wait that thread is running; once the
        // io thread has stopped nothing runs there any more and it goes here.
        if (timer && io != nullptr && !io->stopped()) {
            boost::asio::post(*io, [gone = std::move(timer)] {});
        }
    }

    bool selected(const std::string& service) const {
        return names.empty() || std::find(names.begin(), names.end(), service) != names.end();
    }
    // A live change: always sent, and remembered for the heartbeats.
    void send(pb::HealthUpdate update) {
        auto open = channel.lock();
        if (!open) return;
        const std::lock_guard lock(mutex);
        last[update.service_name()] = update;
        open->push(std::move(update));
    }
    // The snapshot's state, unless a live event already told something newer.
    void send_current(pb::HealthUpdate update) {
        auto open = channel.lock();
        if (!open) return;
        const std::lock_guard lock(mutex);
        if (!last.try_emplace(update.service_name(), update).second) return;
        open->push(std::move(update));
    }
    // On the io thread.
    void beat(const std::shared_ptr<HealthStream>& self) {
        if (!timer) timer = std::make_unique<boost::asio::steady_timer>(*io);
        timer->expires_after(interval);
        timer->async_wait([weak = std::weak_ptr<HealthStream>(self)](boost::system::error_code ec) {
            const auto stream = weak.lock();
            if (ec || !stream) return;
            const auto open = stream->channel.lock();
            if (!open || open->over()) return;
            {
                const std::lock_guard lock(stream->mutex);
                for (const auto& [service, update] : stream->last) {
                    auto repeat = update;
                    repeat.set_timestamp(now_seconds());
                    (*repeat.mutable_details())["transition"] = "heartbeat";
                    open->push(std::move(repeat));
                }
            }
            stream->beat(stream);
        });
    }
    // On the io thread.
    void stop_beating() {
        if (timer) timer->cancel();
    }
};

}  // namespace

grpc::ServerWriteReactor<pb::HealthUpdate>* EnvManagerService::StreamHealth(
    grpc::CallbackServerContext* context, const pb::StreamHealthRequest* request) {
    std::string tenant;
    if (auto status = admit(context, false, tenant); !status.ok()) {
        return refuse_stream<pb::HealthUpdate>(status);
    }
    if (request->interval_seconds() < 0) {
        return refuse_stream<pb::HealthUpdate>(invalid(
            "interval_seconds: must be >= 0 (0: every " + std::to_string(options_.default_heartbeat.count()) +
            " s), got " + std::to_string(request->interval_seconds())));
    }
    auto channel = StreamChannel<pb::HealthUpdate>::make(options_.health_stream_queue);
    auto* reactor = channel->reactor();
    auto stream = std::make_shared<HealthStream>();
    stream->tenant = tenant;
    stream->names.assign(request->service_names().begin(), request->service_names().end());
    stream->interval = request->interval_seconds() > 0 ? std::chrono::seconds(request->interval_seconds())
                                                       : options_.default_heartbeat;
    stream->channel = channel;
    stream->io = &timers_;
    // Subscribed before the snapshot is read, so no change falls between the two.
    stream->subscription = host_.subscribe(
        sdk::Host::SubscribeOptions{"health", 64, true},
        [weak = std::weak_ptr<HealthStream>(stream)](std::string_view topic, std::string_view event_json) {
            const auto open = weak.lock();
            if (!open || topic != "health") return;
            const auto event = nlohmann::json::parse(event_json, nullptr, false);
            if (!event.is_object() || event.value("tenant", "") != open->tenant ||
                !open->selected(event.value("service", ""))) {
                return;
            }
            open->send(health_update(event));
        });
    channel->on_end([stream, host = host_] {
        stream->subscription.reset();
        static_cast<void>(stream->snapshot->cancel(host));
        boost::asio::post(*stream->io, [stream] { stream->stop_beating(); });
    });
    const auto id = host_.manager_invoke(
        "status.snapshot", nlohmann::json{{"tenant", tenant}}.dump(),
        [stream, channel](const sdk::Result& result) {
            if (!stream->snapshot->claim()) return;  // the stream ended first
            if (!result.ok()) return channel->finish(grpc_status(result.status, result.payload));
            try {
                const auto snapshot = nlohmann::json::parse(result.payload);
                const auto services = snapshot.value("services", nlohmann::json::array());
                std::set<std::string> known;
                for (const auto& service : services) known.insert(service.value("name", ""));
                for (const auto& name : stream->names) {
                    if (!known.contains(name)) {
                        return channel->finish(
                            {grpc::StatusCode::NOT_FOUND,
                             "service_names: no service '" + name + "' in tenant '" + stream->tenant + "'"});
                    }
                }
                for (const auto& service : services) {
                    if (stream->selected(service.value("name", ""))) {
                        stream->send_current(health_update_from_status(service, now_seconds()));
                    }
                }
            } catch (const std::exception& e) {
                return channel->finish(
                    {grpc::StatusCode::INTERNAL,
                     std::string("unexpected status snapshot from the host: ") + e.what()});
            }
            boost::asio::post(*stream->io, [stream] { stream->beat(stream); });
        });
    stream->snapshot->started(id);
    return reactor;
}

namespace {

grpc::Status not_built(const std::string& rpc) {
    return {grpc::StatusCode::UNIMPLEMENTED, rpc + " is not built in this env-manager yet"};
}

}  // namespace

grpc::ServerUnaryReactor* EnvManagerService::GetResourceAvailability(
    grpc::CallbackServerContext* context, const pb::GetResourceAvailabilityRequest* /*request*/,
    pb::ResourceAvailabilityResponse* /*response*/) {
    return refuse(context, not_built("GetResourceAvailability"));
}

grpc::ServerUnaryReactor* EnvManagerService::ExecuteTask(grpc::CallbackServerContext* context,
                                                         const pb::ExecuteTaskRequest* /*request*/,
                                                         pb::ExecuteTaskResponse* /*response*/) {
    return refuse(context, not_built("ExecuteTask"));
}

grpc::ServerWriteReactor<pb::ImagePullProgress>* EnvManagerService::PullImages(
    grpc::CallbackServerContext* /*context*/, const pb::PullImagesRequest* /*request*/) {
    return refuse_stream<pb::ImagePullProgress>(not_built("PullImages"));
}

grpc::ServerWriteReactor<pb::LogEntry>* EnvManagerService::StreamLogs(grpc::CallbackServerContext* context,
                                                                      const pb::StreamLogsRequest* request) {
    std::string tenant;
    if (auto status = admit(context, false, tenant); !status.ok()) return refuse_stream<pb::LogEntry>(status);
    if (request->service_name().empty()) {
        return refuse_stream<pb::LogEntry>(invalid("service_name: required"));
    }
    if (request->tail() < 0) {
        return refuse_stream<pb::LogEntry>(
            invalid("tail: must be >= 0 (0: all), got " + std::to_string(request->tail())));
    }
    if (request->since_timestamp() < 0) {
        return refuse_stream<pb::LogEntry>(invalid("since_timestamp: must be >= 0 (unix seconds), got " +
                                                   std::to_string(request->since_timestamp())));
    }
    auto channel = StreamChannel<pb::LogEntry>::make(options_.log_stream_queue);
    auto* reactor = channel->reactor();
    auto pending = std::make_shared<PendingOperation>();
    // A client that goes away ends the (followed) log stream with it.
    channel->on_end([host = host_, pending] { static_cast<void>(pending->cancel(host)); });
    const nlohmann::json body{{"tenant", tenant},
                              {"service", request->service_name()},
                              {"follow", request->follow()},
                              {"tail", request->tail()},
                              {"since", request->since_timestamp()}};
    const auto id = host_.manager_invoke(
        "services.logs", body.dump(),
        [channel, pending](const sdk::Result& result) {
            if (!pending->claim()) return;
            channel->finish(grpc_status(result.status, result.payload));
        },
        [channel](std::string_view item) {
            channel->push(log_entry(nlohmann::json::parse(item, nullptr, false)));
        });
    pending->started(id);
    return reactor;
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
