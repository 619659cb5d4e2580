// container.exec: runs a command in a running container and returns its exit code and output,
// all within one deadline; a command still running at the deadline is killed.
#include "plugins/backends/docker/command_output.h"
#include "plugins/backends/docker/exec_process_kill.h"
#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/operation_table.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"

#include <boost/asio/steady_timer.hpp>

#include <utility>

namespace envmgr::plugins::backends::docker {
namespace {
namespace http = boost::beast::http;

struct ExecRun {
    std::string exec_id;   // known once created
    bool killing = false;  // the deadline is killing it
    bool done = false;     // its exit code was read
    CommandOutput output;
    std::shared_ptr<boost::asio::steady_timer> timer;
};
using ExecRunPtr = std::shared_ptr<ExecRun>;

// Runs the created exec, collects its output, then asks for its exit code.
void run_exec(EngineApi& engine, const OperationPtr& op, const ExecRunPtr& run,
              std::optional<std::string> stdin_bytes) {
    HttpRequest start = engine.make(http::verb::post, "/exec/" + run->exec_id + "/start");
    start.body = R"({"Detach":false,"Tty":false})";
    start.send_after_head = std::move(stdin_bytes);
    engine.stream(
        op, std::move(start),
        [run](std::string_view bytes) {
            run->output.feed(bytes);
            return true;
        },
        [&engine, op, run] {
            engine.call(op, engine.make(http::verb::get, "/exec/" + run->exec_id + "/json"),
                        [&engine, op, run](const HttpResponse& response) {
                            run->timer->cancel();
                            run->done = true;
                            const auto body = nlohmann::json::parse(response.body);
                            engine.succeed(op, run->output.result(body.value("ExitCode", -1)));
                        });
        });
}

// Finds the exec's process and its container's, kills it, then tells `then` what became of it
// (a clause for a message). Detached: it runs after the operation ended too (a cancel). Whatever
// fails on the way, `then` runs once.
void kill_exec(EngineApi& engine, const std::string& exec_id, std::function<void(const std::string&)> then) {
    auto once = std::make_shared<std::function<void(const std::string&)>>(std::move(then));
    const auto tell = [once](const std::string& clause) {
        if (auto callback = std::exchange(*once, nullptr)) callback(clause);
    };
    // A remote engine's process ids mean nothing here: another process could have one of them.
    if (!engine.processes_visible()) {
        return tell("its process could not be killed: the engine is on another machine");
    }
    // An answer of an unexpected shape must not leave the caller waiting: it still hears back.
    const auto guarded = [tell](auto&& step) {
        try {
            step();
        } catch (const std::exception& e) {
            tell(std::string("its process could not be killed: ") + e.what());
        }
    };
    engine.call_detached(
        "container.exec", engine.make(http::verb::get, "/exec/" + exec_id + "/json"),
        [&engine, tell, guarded](const std::optional<HttpError>& error, const HttpResponse& response) {
            guarded([&] {
                const auto exec = nlohmann::json::parse(response.body, nullptr, false);
                if (error || response.status != 200 || !exec.is_object()) {
                    return tell("its process could not be found to kill it");
                }
                if (!exec.value("Running", false)) return tell("its process had already ended");
                const long exec_pid = exec.value("Pid", 0L);
                const std::string container = exec.value("ContainerID", "");
                engine.call_detached(
                    "container.inspect",
                    engine.make(http::verb::get, "/containers/" + url_encode(container) + "/json"),
                    [tell, guarded, exec_pid](const std::optional<HttpError>&,
                                              const HttpResponse& inspected) {
                        guarded([&] {
                            const auto document = nlohmann::json::parse(inspected.body, nullptr, false);
                            const auto state =
                                document.is_object() ? object_at(document, "State") : nlohmann::json();
                            const long container_pid = state.is_object() ? state.value("Pid", 0L) : 0L;
                            tell(kill_exec_process(exec_pid, container_pid));
                        });
                    });
            });
        });
}

// At the deadline: stop reading, kill the process, then answer TIMEOUT saying what became of it.
void on_deadline(EngineApi& engine, const OperationPtr& op, const ExecRunPtr& run, std::int64_t timeout_ms) {
    op->cancelled = true;
    run->killing = true;
    if (op->exchange) op->exchange->cancel();
    const std::string said = "exec did not finish within " + std::to_string(timeout_ms) + " ms";
    if (run->exec_id.empty()) {
        engine.finish(op, ENVMGR_STATUS_TIMEOUT, said);
        return;
    }
    kill_exec(engine, run->exec_id, [&engine, op, said](const std::string& clause) {
        engine.finish(op, ENVMGR_STATUS_TIMEOUT, said + "; " + clause);
    });
}

nlohmann::json env_list(const nlohmann::json& request) {
    auto list = nlohmann::json::array();
    if (!request.contains("env")) return list;
    const auto& env = request["env"];
    if (!env.is_object()) throw sdk::Error(ENVMGR_STATUS_INVALID, "env: must be an object of strings");
    for (const auto& [key, value] : env.items()) {
        if (key.empty() || key.find('=') != std::string::npos || !value.is_string()) {
            throw sdk::Error(ENVMGR_STATUS_INVALID, "env." + key + ": a name without '=' and a string value");
        }
        list.push_back(key + "=" + value.get<std::string>());
    }
    return list;
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
    std::optional<std::string> stdin_bytes;
    if (op->request.contains("stdin")) stdin_bytes = required_string(op->request, "stdin");
    nlohmann::json body{{"Cmd", command},
                        {"AttachStdout", true},
                        {"AttachStderr", true},
                        {"AttachStdin", stdin_bytes.has_value()},
                        {"Env", env_list(op->request)}};
    if (op->request.contains("workdir")) body["WorkingDir"] = required_string(op->request, "workdir");
    HttpRequest create = engine.make(http::verb::post, "/containers/" + url_encode(container) + "/exec");
    create.body = body.dump();
    // The whole exec (create, run, result) shares one deadline.
    auto run = std::make_shared<ExecRun>();
    run->timer =
        std::make_shared<boost::asio::steady_timer>(engine.io(), std::chrono::milliseconds(timeout_ms));
    run->timer->async_wait([&engine, op, run, timeout_ms](boost::system::error_code ec) {
        if (ec || op->done.done() || op->cancelled) return;
        on_deadline(engine, op, run, timeout_ms);
    });
    // A caller that cancels does not leave the command running: it is killed as at the deadline.
    op->cleanup = [&engine, op, run] {
        run->timer->cancel();
        if (op->cancelled && !run->killing && !run->done && !run->exec_id.empty()) {
            run->killing = true;
            kill_exec(engine, run->exec_id, [](const std::string&) {});
        }
    };
    engine.call(
        op, std::move(create),
        [&engine, op, run, stdin_bytes = std::move(stdin_bytes)](const HttpResponse& created) mutable {
            run->exec_id = nlohmann::json::parse(created.body).value("Id", "");
            run_exec(engine, op, run, std::move(stdin_bytes));
        });
}

}  // namespace

void add_exec_operations(OperationTable& table) {
    table.emplace("container.exec", &container_exec);
}

}  // namespace envmgr::plugins::backends::docker
