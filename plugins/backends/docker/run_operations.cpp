// container.run: a throwaway container (docker run --rm, with -i when stdin is given): created,
// attached, started, read to its end, waited for, removed; within one deadline, after which
// it is killed and removed. However the operation ends, the container does not stay.
#include "plugins/backends/docker/command_output.h"
#include "plugins/backends/docker/container_mapping.h"
#include "plugins/backends/docker/operation_table.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"

#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cstdio>
#include <optional>
#include <random>

namespace envmgr::plugins::backends::docker {
namespace {
namespace http = boost::beast::http;

struct ContainerRun {
    std::string name;  // always set, so that a run cancelled before its id came back is found
    std::string id;    // known once created
    bool removed = false;
    // The exit code is read once both the start has been answered and the output has ended
    // (in either order); a refused start answers by itself.
    bool start_answered = false;
    bool output_ended = false;
    bool finishing = false;  // removal under way: the attach's own end says nothing more
    CommandOutput output;
    std::shared_ptr<HttpExchange> attach;
    std::shared_ptr<boost::asio::steady_timer> timer;
};
using ContainerRunPtr = std::shared_ptr<ContainerRun>;

HttpRequest remove_request(EngineApi& engine, const ContainerRun& run) {
    const std::string& which = run.id.empty() ? run.name : run.id;
    return engine.make(http::verb::delete_, "/containers/" + url_encode(which) + "?force=1&v=1");
}

// A name of our own: "envmgr-task-" and 16 random hex digits.
std::string throwaway_name() {
    // No thread_local engine: TLS in a library that is dlclose'd trips LeakSanitizer at exit.
    std::random_device random;
    const auto high = static_cast<unsigned long long>(random());
    const auto low = static_cast<unsigned long long>(random());
    std::array<char, 17> digits{};
    std::snprintf(digits.data(), digits.size(), "%016llx", (high << 32U) | low);
    return std::string("envmgr-task-") + digits.data();
}

// Removes the container after the operation ended (a cancel, a deadline). When its id never
// came back the create may still be landing in the engine: a 404 is tried once more a second
// later. done gets whether it is gone, and the engine's words when not.
void remove_detached(EngineApi& engine, const ContainerRunPtr& run,
                     std::function<void(bool, const std::string&)> done, bool retry_missing) {
    engine.call_detached("container.remove", remove_request(engine, *run),
                         [&engine, run, done = std::move(done), retry_missing](
                             const std::optional<HttpError>& error, const HttpResponse& response) {
                             if (!error && response.status == 404 && retry_missing) {
                                 auto timer = std::make_shared<boost::asio::steady_timer>(
                                     engine.io(), std::chrono::seconds(1));
                                 timer->async_wait([&engine, run, timer, done](boost::system::error_code) {
                                     remove_detached(engine, run, done, false);
                                 });
                                 return;
                             }
                             const bool gone = !error && (response.status < 300 || response.status == 404);
                             done(gone, error ? error->message : response.body);
                         });
}

// What the runtime says when it cannot execute the command: a shell's 127 (not found) or 126
// (not executable), as docker run exits. Anything else is the engine's failure, not the command's.
std::optional<int> exit_code_of_refused_start(const std::string& message) {
    if (message.find("executable file not found") != std::string::npos ||
        message.find("no such file or directory") != std::string::npos) {
        return 127;
    }
    if (message.find("permission denied") != std::string::npos ||
        message.find("is a directory") != std::string::npos) {
        return 126;
    }
    return std::nullopt;
}

// The command is done: its result goes out once the container is removed (a removal that fails
// does not lose the result: it is retried detached).
void finish_run(EngineApi& engine, const OperationPtr& op, const ContainerRunPtr& run, int exit_code) {
    run->finishing = true;
    run->timer->cancel();
    engine.call(
        op, remove_request(engine, *run),
        [&engine, op, run, exit_code](const HttpResponse&) {
            run->removed = true;
            engine.succeed(op, run->output.result(exit_code));
        },
        [&engine, op, run, exit_code](envmgr_status, const std::string& message, unsigned) {
            engine.host().warn("container.run: removing " + run->name + " failed (" + message +
                               "); retrying");
            run->removed = true;
            remove_detached(
                engine, run, [](bool, const std::string&) {}, false);
            engine.succeed(op, run->output.result(exit_code));
            return true;
        });
}

// The attach stream ended: the container's process is done. Its exit code, then removal.
void collect_exit(EngineApi& engine, const OperationPtr& op, const ContainerRunPtr& run) {
    HttpRequest wait = engine.make(http::verb::post, "/containers/" + url_encode(run->id) + "/wait");
    wait.timeout = std::chrono::milliseconds(0x7fffffff);  // the run's own deadline bounds it
    engine.call(op, std::move(wait), [&engine, op, run](const HttpResponse& response) {
        finish_run(engine, op, run, nlohmann::json::parse(response.body).value("StatusCode", -1));
    });
}

void start_container(EngineApi& engine, const OperationPtr& op, const ContainerRunPtr& run) {
    engine.call(
        op, engine.make(http::verb::post, "/containers/" + url_encode(run->id) + "/start"),
        [&engine, op, run](const HttpResponse&) {
            run->start_answered = true;
            if (run->output_ended) collect_exit(engine, op, run);
        },
        [&engine, op, run](envmgr_status, const std::string& message, unsigned http_status) {
            const auto refused = http_status == 0 ? std::nullopt : exit_code_of_refused_start(message);
            if (!refused) return false;  // the engine's failure: the operation fails with it
            if (run->attach) run->attach->cancel();
            run->output.note_stderr(message + "\n");
            finish_run(engine, op, run, *refused);
            return true;
        });
}

// Attached before the start, so that no output is missed; stdin goes once the engine answered.
void attach_and_start(EngineApi& engine, const OperationPtr& op, const ContainerRunPtr& run,
                      std::optional<std::string> stdin_bytes) {
    HttpRequest attach = engine.make(http::verb::post, "/containers/" + url_encode(run->id) +
                                                           "/attach?stream=1&stdout=1&stderr=1" +
                                                           (stdin_bytes ? "&stdin=1" : ""));
    attach.send_after_head = std::move(stdin_bytes);
    engine.start_exchange(
        op, std::move(attach),
        {.on_body =
             [run](std::string_view bytes) {
                 run->output.feed(bytes);
                 return true;
             },
         .on_head =
             [&engine, op, run](const HttpResponse& head) {
                 if (head.status >= 200 && head.status < 300) start_container(engine, op, run);
             },
         .on_done =
             [&engine, op, run](const std::optional<HttpError>& error, const HttpResponse& response) {
                 if (op->cancelled || op->done.done() || run->finishing) return;
                 engine.finish_if_throws(op, ENVMGR_STATUS_INTERNAL, "", [&] {
                     if (error) {
                         engine.finish(op, error->status, error->message);
                     } else if (response.status >= 300) {
                         engine.finish(op, ENVMGR_STATUS_INTERNAL,
                                       "attach: HTTP " + std::to_string(response.status));
                     } else {
                         run->output_ended = true;
                         if (run->start_answered) collect_exit(engine, op, run);
                     }
                 });
             }});
    run->attach = op->exchange;
}

void container_run(EngineApi& engine, const OperationPtr& op) {
    auto spec = container_spec_of(op->request);
    // As docker run --rm: no terminal (the output is read as two streams), no engine restarts.
    spec.tty = false;
    spec.restart_policy = "no";
    if (spec.name.empty()) spec.name = throwaway_name();
    const std::int64_t requested_ms = op->request.value("timeout_ms", std::int64_t{30000});
    if (requested_ms <= 0) throw sdk::Error(ENVMGR_STATUS_INVALID, "timeout_ms: must be > 0");
    const std::int64_t timeout_ms = bounded_timeout(requested_ms, std::chrono::milliseconds(0)).count();
    std::optional<std::string> stdin_bytes;
    if (op->request.contains("stdin")) stdin_bytes = required_string(op->request, "stdin");

    auto body = container_create_body(spec);
    body["AttachStdout"] = true;
    body["AttachStderr"] = true;
    body["AttachStdin"] = stdin_bytes.has_value();
    body["OpenStdin"] = stdin_bytes.has_value();
    body["StdinOnce"] = stdin_bytes.has_value();  // the end of our stdin closes the process's
    if (op->request.contains("workdir")) body["WorkingDir"] = required_string(op->request, "workdir");
    HttpRequest create = engine.make(http::verb::post, "/containers/create?name=" + url_encode(spec.name));
    create.body = body.dump();

    auto run = std::make_shared<ContainerRun>();
    run->name = spec.name;
    run->timer =
        std::make_shared<boost::asio::steady_timer>(engine.io(), std::chrono::milliseconds(timeout_ms));
    // At the deadline the container is killed and removed (force) before the answer goes out.
    run->timer->async_wait([&engine, op, run, timeout_ms](boost::system::error_code ec) {
        if (ec || op->done.done() || op->cancelled || run->finishing) return;
        op->cancelled = true;
        if (op->exchange) op->exchange->cancel();
        if (run->attach) run->attach->cancel();
        const std::string said = "the container did not finish within " + std::to_string(timeout_ms) + " ms";
        run->removed = true;
        remove_detached(
            engine, run,
            [&engine, op, said](bool gone, const std::string& why) {
                engine.finish(op, ENVMGR_STATUS_TIMEOUT,
                              said + (gone ? "; it was killed and removed" : "; removing it failed: " + why));
            },
            run->id.empty());
    });
    // Any other end (an engine error, a cancel) still leaves no container behind.
    op->cleanup = [&engine, run] {
        run->timer->cancel();
        if (run->attach) run->attach->cancel();
        if (run->removed) return;
        run->removed = true;
        remove_detached(
            engine, run, [](bool, const std::string&) {}, run->id.empty());
    };
    engine.call(
        op, std::move(create),
        [&engine, op, run, stdin_bytes = std::move(stdin_bytes)](const HttpResponse& created) mutable {
            run->id = nlohmann::json::parse(created.body).value("Id", "");
            attach_and_start(engine, op, run, std::move(stdin_bytes));
        });
}

}  // namespace

void add_run_operations(OperationTable& table) {
    table.emplace("container.run", &container_run);
}

}  // namespace envmgr::plugins::backends::docker
