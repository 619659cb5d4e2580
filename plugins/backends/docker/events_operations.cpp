// events.stream: the engine's container events, filtered by label, until cancelled. When the
// engine is unreachable (at the start, or later: restart, crash) the stream says so, retries
// with back-off and resumes after the last event seen, so that nothing in between is lost.
#include "plugins/backends/docker/engine_errors.h"
#include "plugins/backends/docker/event_items.h"
#include "plugins/backends/docker/operation_table.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"
#include "plugins/backends/docker/stream_decoders.h"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>

namespace envmgr::plugins::backends::docker {
namespace {
namespace http = boost::beast::http;

struct EventsState {
    std::string filters;
    std::string since;  // resume point after a reconnect, unix seconds with fraction
    std::chrono::milliseconds backoff{100};
    std::unique_ptr<boost::asio::steady_timer> retry_timer;
    JsonLineSplitter splitter;
    bool disconnected = false;  // a "disconnected" item was sent; the next connection says "reconnected"
};

void connect(EngineApi& engine, const OperationPtr& op, const std::shared_ptr<EventsState>& state);

void on_line(const OperationPtr& op, EventsState& state, std::string_view line) {
    const auto event = nlohmann::json::parse(line, nullptr, false);
    if (!event.is_object()) return;
    try {
        auto item = event_item(event);
        if (auto resume = resume_point_after(item["time_nano"].get<std::int64_t>()); !resume.empty()) {
            state.since = std::move(resume);
        }
        op->done.item(item.dump());
    } catch (const nlohmann::json::exception&) {
        // One event of an unexpected shape is skipped; the stream goes on.
    }
}

void on_head(const OperationPtr& op, EventsState& state, const HttpResponse& head) {
    if (head.status != 200) return;
    state.backoff = std::chrono::milliseconds(100);
    if (state.disconnected) op->done.item(R"({"type":"stream","action":"reconnected"})");
    state.disconnected = false;
}

void on_end(EngineApi& engine, const OperationPtr& op, const std::shared_ptr<EventsState>& state,
            const std::optional<HttpError>& error, const HttpResponse& response) {
    op->exchange.reset();
    if (op->cancelled || op->done.done()) return;
    if (!error && response.status >= 400 && response.status < 500) {
        const auto refused = engine_error(response.body, response.status);
        engine.finish(op, refused.status, refused.message);
        return;
    }
    const std::string reason = error ? error->message : "the engine ended the event stream";
    state->disconnected = true;
    op->done.item(nlohmann::json{{"type", "stream"}, {"action", "disconnected"}, {"message", reason}}.dump());
    state->retry_timer->expires_after(state->backoff);
    // At most 500 ms between tries: the engine's return is noticed (and what died meanwhile
    // replayed) within half a second; a refused connection to the socket costs next to nothing.
    state->backoff = std::min(state->backoff * 2, std::chrono::milliseconds(500));
    state->retry_timer->async_wait([&engine, op, state](boost::system::error_code ec) {
        if (ec || op->cancelled || op->done.done()) return;
        connect(engine, op, state);
    });
}

void connect(EngineApi& engine, const OperationPtr& op, const std::shared_ptr<EventsState>& state) {
    std::string path = "/events?filters=" + url_encode(state->filters);
    if (!state->since.empty()) path += "&since=" + state->since;
    state->splitter = JsonLineSplitter();
    engine.start_exchange(
        op, engine.make(http::verb::get, path),
        {.on_body =
             [op, state](std::string_view bytes) {
                 return state->splitter.feed(bytes,
                                             [&](std::string_view line) { on_line(op, *state, line); });
             },
         .on_head = [op, state](const HttpResponse& head) { on_head(op, *state, head); },
         .on_done = [&engine, op, state](
                        const std::optional<HttpError>& error,
                        const HttpResponse& response) { on_end(engine, op, state, error, response); }});
}

void events_stream(EngineApi& engine, const OperationPtr& op) {
    auto state = std::make_shared<EventsState>();
    state->filters = label_filters(string_map(op->request, "labels"), "container");
    if (op->request.contains("since")) {
        state->since = std::to_string(op->request.value("since", std::int64_t{0}));
    }
    state->retry_timer = std::make_unique<boost::asio::steady_timer>(engine.io());
    op->cleanup = [state] { state->retry_timer->cancel(); };
    connect(engine, op, state);
}

}  // namespace

void add_events_operations(OperationTable& table) {
    table.emplace("events.stream", &events_stream);
}

}  // namespace envmgr::plugins::backends::docker
