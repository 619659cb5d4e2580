// container.logs: streams the container's output as lines, stdout and stderr apart.
#include "plugins/backends/docker/log_stream.h"

#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/log_lines.h"
#include "plugins/backends/docker/operation_table.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"
#include "plugins/backends/docker/stream_decoders.h"

namespace envmgr::plugins::backends::docker {
namespace {
namespace http = boost::beast::http;

struct LogState {
    LogFrameDecoder frames;
    LogLineAssembler lines;
};

}  // namespace

void read_logs(EngineApi& engine, const OperationPtr& op, HttpRequest request, bool tty) {
    auto state = std::make_shared<LogState>();
    auto emit = [op](const LogLine& line) {
        op->done.item(
            nlohmann::json{{"stream", line.stream}, {"message", line.message}, {"timestamp", line.timestamp}}
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    };
    engine.stream(
        op, std::move(request),
        [state, tty, emit](std::string_view bytes) {
            if (tty) {
                state->lines.feed("stdout", bytes, false, emit);
                return true;
            }
            if (!state->frames.feed(bytes, [&](LogFrameDecoder::Stream s, std::string_view payload) {
                    state->lines.feed(stream_name(s), payload, false, emit);
                })) {
                throw sdk::Error(ENVMGR_STATUS_INTERNAL, "malformed log stream: " + state->frames.error());
            }
            return true;
        },
        [&engine, op, state, emit] {
            if (state->frames.truncated()) {
                engine.finish(op, ENVMGR_STATUS_UNAVAILABLE, "the log stream ended in the middle of a frame");
                return;
            }
            for (const auto* name : {"stdout", "stderr"}) state->lines.feed(name, "", true, emit);
            engine.succeed(op, nlohmann::json::object());
        });
}

namespace {

void container_logs(EngineApi& engine, const OperationPtr& op) {
    const std::string container = url_encode(required_string(op->request, "id"));
    const bool follow = op->request.value("follow", false);
    const std::int64_t tail = op->request.value("tail", std::int64_t{0});
    const std::int64_t since = op->request.value("since", std::int64_t{0});
    // The stream is multiplexed unless the container has a TTY: inspect first to know which.
    engine.call(op, engine.make(http::verb::get, "/containers/" + container + "/json"),
                [&engine, op, container, follow, tail, since](const HttpResponse& inspected) {
                    const bool tty =
                        object_at(nlohmann::json::parse(inspected.body), "Config").value("Tty", false);
                    std::string path = "/containers/" + container + "/logs?stdout=1&stderr=1&timestamps=1" +
                                       "&follow=" + (follow ? "1" : "0") +
                                       "&tail=" + (tail > 0 ? std::to_string(tail) : std::string("all"));
                    if (since > 0) path += "&since=" + std::to_string(since);
                    read_logs(engine, op, engine.make(http::verb::get, path), tty);
                });
}

}  // namespace

void add_logs_operations(OperationTable& table) {
    table.emplace("container.logs", &container_logs);
}

}  // namespace envmgr::plugins::backends::docker
