// What the env_manager.v1 calls share (internal to frontend.grpc): a manager operation in
// flight for one call, a unary call answered by one operation, refusals, small conversions.
#pragma once

#include "plugins/frontends/grpc/open_streams.h"
#include "plugins/frontends/grpc/status_codes.h"
#include "plugins/frontends/grpc/stream_channel.h"

#include <envmgr/sdk/sdk.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace envmgr::plugins::frontends::grpc_frontend {

inline std::int64_t now_seconds() {
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

inline grpc::ServerUnaryReactor* refuse(grpc::CallbackServerContext* context, const grpc::Status& status) {
    auto* reactor = context->DefaultReactor();
    reactor->Finish(status);
    return reactor;
}

// A server stream fed by one manager operation: each item becomes messages through on_item, the
// operation's result ends the stream (last_words may push a final message first). A client that
// goes away cancels the operation; what that cancel ends is the operation's own affair
// (manager-operations.md: a start goes on, a log stream and pulls end).
template <class Message>
grpc::ServerWriteReactor<Message>* stream_operation(
    const sdk::Host& host, const std::shared_ptr<OpenStreams>& streams, const std::string& operation,
    const nlohmann::json& body, std::size_t queue,
    std::function<void(StreamChannel<Message>&, std::string_view item)> on_item,
    std::function<void(StreamChannel<Message>&, const sdk::Result&)> last_words = {}) {
    auto channel = StreamChannel<Message>::make(queue);
    auto* reactor = channel->reactor();
    const auto open = streams->add([channel](const grpc::Status& status) { channel->finish(status); });
    if (open == 0) return reactor;  // the frontend is shutting down: ended already
    auto pending = std::make_shared<PendingOperation>();
    channel->on_end([host, pending, streams, open] {
        streams->remove(open);
        static_cast<void>(pending->cancel(host));
    });
    const auto id = host.manager_invoke(
        operation, body.dump(),
        [channel, pending, last_words = std::move(last_words)](const sdk::Result& result) {
            if (!pending->claim()) return;  // the stream ended first
            if (last_words) last_words(*channel, result);
            channel->finish(grpc_status(result.status, result.payload));
        },
        [channel, on_item = std::move(on_item)](std::string_view item) { on_item(*channel, item); });
    pending->started(id);
    return reactor;
}

template <class Message>
grpc::ServerWriteReactor<Message>* refuse_stream(const grpc::Status& status) {
    auto channel = StreamChannel<Message>::make(0);
    auto* reactor = channel->reactor();
    channel->finish(status);
    return reactor;
}

inline grpc::Status invalid(const std::string& message) {
    return {grpc::StatusCode::INVALID_ARGUMENT, message};
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
