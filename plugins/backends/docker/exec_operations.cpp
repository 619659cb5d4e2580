// container.exec: runs a command in a running container and returns its exit code and output,
// all within one deadline.
#include "plugins/backends/docker/operation_table.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"
#include "plugins/backends/docker/stream_decoders.h"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>

namespace envmgr::plugins::backends::docker {
namespace {
namespace http = boost::beast::http;

constexpr std::size_t kMaxExecOutput = 1U << 20U;  // per stream; the rest is cut and flagged

struct ExecOutput {
    LogFrameDecoder frames;
    std::string out;
    std::string err;
    bool truncated = false;

    void append(LogFrameDecoder::Stream stream, std::string_view payload) {
        std::string& sink = stream == LogFrameDecoder::Stream::stderr_stream ? err : out;
        const std::size_t room = kMaxExecOutput - std::min(kMaxExecOutput, sink.size());
        if (payload.size() > room) truncated = true;
        sink.append(payload.substr(0, room));
    }
};

// Runs the created exec, collects its output, then asks for its exit code.
void run_exec(EngineApi& engine, const OperationPtr& op, const std::string& exec_id,
              const std::shared_ptr<boost::asio::steady_timer>& timer) {
    HttpRequest start = engine.make(http::verb::post, "/exec/" + exec_id + "/start");
    start.body = R"({"Detach":false,"Tty":false})";
    auto output = std::make_shared<ExecOutput>();
    engine.stream(
        op, std::move(start),
        [output](std::string_view bytes) {
            const bool ok = output->frames.feed(
                bytes,
                [&](LogFrameDecoder::Stream s, std::string_view payload) { output->append(s, payload); });
            if (!ok) {
                throw sdk::Error(ENVMGR_STATUS_INTERNAL, "malformed exec stream: " + output->frames.error());
            }
            return true;
        },
        [&engine, op, exec_id, output, timer] {
            engine.call(op, engine.make(http::verb::get, "/exec/" + exec_id + "/json"),
                        [&engine, op, output, timer](const HttpResponse& response) {
                            timer->cancel();
                            const auto body = nlohmann::json::parse(response.body);
                            engine.succeed(op, nlohmann::json{{"exit_code", body.value("ExitCode", -1)},
                                                              {"stdout", output->out},
                                                              {"stderr", output->err},
                                                              {"truncated", output->truncated}});
                        });
        });
}

void container_exec(EngineApi& engine, const OperationPtr& op) {
    const std::string container = required_string(op->request, "id");
    const auto command = op->request.contains("command") ? op->request["command"] : nlohmann::json::array();
    if (!command.is_array() || command.empty()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "command: required (a non-empty array of strings)");
    }
    const std::int64_t requested_ms = op->request.value("timeout_ms", std::int64_t{30000});
    if (requested_ms <= 0) throw sdk::Error(ENVMGR_STATUS_INVALID, "timeout_ms: must be > 0");
    const std::int64_t timeout_ms = bounded_timeout(requested_ms, std::chrono::milliseconds(0)).count();
    HttpRequest create = engine.make(http::verb::post, "/containers/" + url_encode(container) + "/exec");
    create.body = nlohmann::json{{"Cmd", command}, {"AttachStdout", true}, {"AttachStderr", true}}.dump();
    // The whole exec (create, run, result) shares one deadline.
    auto timer =
        std::make_shared<boost::asio::steady_timer>(engine.io(), std::chrono::milliseconds(timeout_ms));
    timer->async_wait([&engine, op, timeout_ms](boost::system::error_code ec) {
        if (ec || op->done.done()) return;
        op->cancelled = true;
        if (op->exchange) op->exchange->cancel();
        engine.finish(op, ENVMGR_STATUS_TIMEOUT,
                      "exec did not finish within " + std::to_string(timeout_ms) + " ms");
    });
    op->cleanup = [timer] { timer->cancel(); };
    engine.call(op, std::move(create), [&engine, op, timer](const HttpResponse& created) {
        run_exec(engine, op, nlohmann::json::parse(created.body).value("Id", ""), timer);
    });
}

}  // namespace

void add_exec_operations(OperationTable& table) {
    table.emplace("container.exec", &container_exec);
}

}  // namespace envmgr::plugins::backends::docker
