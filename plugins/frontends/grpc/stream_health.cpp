// StreamHealth: the current state of each selected service at once, then every health
// transition from the event bus, and heartbeats repeating the last state (README, "The gRPC API").
#include "plugins/frontends/grpc/call_support.h"
#include "plugins/frontends/grpc/env_manager_service.h"
#include "plugins/frontends/grpc/request_documents.h"
#include "plugins/frontends/grpc/status_codes.h"
#include "plugins/frontends/grpc/wire_documents.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <map>

namespace envmgr::plugins::frontends::grpc_frontend {

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
                    open->push(heartbeat_update(update, now_seconds()));
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
    auto selection = health_selection(*request, options_.default_heartbeat);
    if (!selection.ok()) return refuse_stream<pb::HealthUpdate>(invalid(selection.invalid));
    auto channel = StreamChannel<pb::HealthUpdate>::make(options_.health_stream_queue);
    auto* reactor = channel->reactor();
    const auto stream_id = streams_->add([channel](const grpc::Status& status) { channel->finish(status); });
    if (stream_id == 0) return reactor;  // the frontend is shutting down: ended already
    auto stream = std::make_shared<HealthStream>();
    stream->tenant = tenant;
    stream->names = std::move(selection.names);
    stream->interval = selection.interval;
    stream->channel = channel;
    stream->io = &timers_;
    // Subscribed before the snapshot is read, so no change falls between the two.
    stream->subscription = host_.subscribe(
        sdk::Host::SubscribeOptions{"health", 64, true},
        [weak = std::weak_ptr<HealthStream>(stream)](std::string_view topic, std::string_view event_json) {
            const auto open = weak.lock();
            if (!open || topic != "health") return;
            const auto event = sdk::read_document<sdk::HealthEvent>(event_json);
            if (!event || event->tenant != open->tenant || !open->selected(event->service)) return;
            open->send(health_update(*event));
        });
    channel->on_end([stream, host = host_, streams = streams_, stream_id] {
        streams->remove(stream_id);
        stream->subscription.reset();
        static_cast<void>(stream->snapshot->cancel(host));
        boost::asio::post(*stream->io, [stream] { stream->stop_beating(); });
    });
    const auto id = host_.manager_invoke(
        "status.snapshot", nlohmann::json{{"tenant", tenant}}.dump(),
        [stream, channel](const sdk::Result& result) {
            if (!stream->snapshot->claim()) return;  // the stream ended first
            if (!result.ok()) return channel->finish(grpc_status(result.status, result.payload));
            const auto snapshot = sdk::read_document<sdk::StatusSnapshot>(result.payload);
            if (!snapshot) {
                return channel->finish(
                    {grpc::StatusCode::INTERNAL,
                     "unexpected status snapshot from the host: " + sdk::cut_input(result.payload, 200)});
            }
            if (const auto unknown = first_unknown(*snapshot, stream->names); !unknown.empty()) {
                return channel->finish(
                    {grpc::StatusCode::NOT_FOUND, "service_names: no service " + sdk::quote_input(unknown) +
                                                      " in tenant '" + stream->tenant + "'"});
            }
            for (const auto& service : snapshot->services) {
                if (stream->selected(service.name)) {
                    stream->send_current(health_update_from_status(service, now_seconds()));
                }
            }
            boost::asio::post(*stream->io, [stream] { stream->beat(stream); });
        });
    stream->snapshot->started(id);
    return reactor;
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
