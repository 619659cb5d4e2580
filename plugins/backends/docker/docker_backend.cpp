#include "docker_backend.h"

#include "engine_mapping.h"
#include "pull_progress.h"
#include "stream_decoders.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <charconv>
#include <unordered_map>

namespace envmgr::docker {
namespace http = boost::beast::http;

namespace {

constexpr std::size_t kMaxExecOutput = 1U << 20U;  // per stream; the rest is cut and flagged
constexpr std::size_t kMaxLogLine = 64U << 10U;    // longer lines are delivered in pieces

// A caller's timeout in milliseconds, within what the clocks can hold: 0 or less is "none"
// (returns fallback), and anything past a day is a day.
std::chrono::milliseconds bounded_timeout(std::int64_t requested_ms, std::chrono::milliseconds fallback) {
    constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
    if (requested_ms <= 0) return fallback;
    return std::chrono::milliseconds(std::min(requested_ms, kDayMs));
}

// "1.41" -> 1041, for comparing API versions.
int version_number(std::string_view text) {
    int major = 0;
    int minor = 0;
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) return 0;
    std::from_chars(text.data(), text.data() + dot, major);
    std::from_chars(text.data() + dot + 1, text.data() + text.size(), minor);
    return major * 1000 + minor;
}

std::string required_string(const nlohmann::json& request, const char* field) {
    const auto it = request.find(field);
    if (it == request.end() || !it->is_string() || it->get<std::string>().empty()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, std::string(field) + ": required (a non-empty string)");
    }
    return it->get<std::string>();
}

std::string path_part(const std::string& text) {
    return url_encode(text);
}

std::map<std::string, std::string> string_map(const nlohmann::json& request, const char* field) {
    std::map<std::string, std::string> out;
    const auto it = request.find(field);
    if (it == request.end()) return out;
    if (!it->is_object()) throw sdk::Error(ENVMGR_STATUS_INVALID, std::string(field) + ": must be an object");
    for (const auto& [key, value] : it->items()) {
        if (!value.is_string()) {
            throw sdk::Error(ENVMGR_STATUS_INVALID, std::string(field) + "." + key + ": must be a string");
        }
        out[key] = value.get<std::string>();
    }
    return out;
}

// Log line "2026-11-26T20:46:56.302123456Z message" -> (unix seconds, message).
std::pair<std::int64_t, std::string_view> split_timestamp(std::string_view line) {
    const auto space = line.find(' ');
    if (space == std::string_view::npos || space < 19 || line[4] != '-') return {0, line};
    return {unix_seconds(line.substr(0, space)), line.substr(space + 1)};
}

}  // namespace

struct EventsState {
    std::string filters;
    std::string since;  // resume point after a reconnect, unix seconds with fraction
    std::chrono::milliseconds backoff{100};
    std::unique_ptr<boost::asio::steady_timer> retry_timer;
    JsonLineSplitter splitter;
    bool connected_before = false;
};

// One engine event as an events.stream item; remembers where to resume after a reconnect.
void forward_event(const DockerBackend::OperationPtr& op, EventsState& state, const nlohmann::json& event) {
    const auto& actor = object_at(event, "Actor");
    const auto& attributes = object_at(actor, "Attributes");
    const std::int64_t nanos = event.value("timeNano", std::int64_t{0});
    if (nanos > 0) {
        // Resume just after this event: "since" includes events at the given time.
        constexpr std::int64_t kNanosPerSecond = 1000000000;
        const std::int64_t next = nanos + 1;
        state.since = std::to_string(next / kNanosPerSecond) + "." +
                      std::to_string(kNanosPerSecond + next % kNanosPerSecond).substr(1);
    }
    nlohmann::json item{{"type", event.value("Type", "")},
                        {"action", event.value("Action", "")},
                        {"id", actor.value("ID", "")},
                        {"name", attributes.value("name", "")},
                        {"labels", attributes},
                        {"time_nano", nanos}};
    if (const auto code = attributes.find("exitCode"); code != attributes.end() && code->is_string()) {
        item["exit_code"] = std::atoi(code->get<std::string>().c_str());
    }
    op->done.item(item.dump());
}

const char* DockerBackend::config_schema() {
    return R"json({
  "host": {"type": "string", "default": "unix:///var/run/docker.sock", "env": "DOCKER_HOST",
           "description": "engine endpoint: unix:///path or tcp://host:port"},
  "api_version": {"type": "string", "default": "", "env": "DOCKER_API_VERSION",
                  "description": "engine API version to use; empty: negotiated from GET /version"},
  "timeout_ms": {"type": "integer", "default": 30000,
                 "description": "deadline of one engine call (streams: until the response starts)"},
  "registry_auth": {"type": "table", "default": {},
                    "description": "per registry host: {username, password} used by image.pull"}
})json";
}

DockerBackend::DockerBackend(const sdk::Host& host, const nlohmann::json& config)
    : BackendPlugin(host),
      endpoint_(parse_endpoint(config.value("host", ""))),
      configured_api_version_(config.value("api_version", "")),
      timeout_(config.value("timeout_ms", 30000)),
      registry_auth_(object_at(config, "registry_auth")),
      work_(boost::asio::make_work_guard(io_)),
      client_(std::make_shared<HttpClient>(io_, endpoint_)) {
    if (timeout_.count() <= 0) throw sdk::Error(ENVMGR_STATUS_INVALID, "timeout_ms: must be > 0");
    if (!configured_api_version_.empty()) {
        if (version_number(configured_api_version_) == 0) {
            throw sdk::Error(ENVMGR_STATUS_INVALID,
                             "DOCKER_API_VERSION '" + configured_api_version_ + "': expected MAJOR.MINOR");
        }
        api_prefix_ = "/v" + configured_api_version_;
    }
    io_thread_ = std::thread([this] {
        // A handler that throws must not take the backend down with it.
        for (;;) {
            try {
                io_.run();
                return;
            } catch (const std::exception& e) {
                this->host().error(std::string("backend.docker: unexpected exception on the io thread: ") +
                                   e.what());
            }
        }
    });
    this->host().info("engine endpoint " + endpoint_.text +
                      (api_prefix_.empty() ? "" : ", API " + configured_api_version_));
}

DockerBackend::~DockerBackend() {
    cancel_all();
    work_.reset();
    boost::asio::post(io_, [this] { client_->shutdown(); });
    // Cancelled exchanges finish on the io thread, and then it runs out of work. Should
    // something still hold it, stop it anyway after a bounded wait: destroy must not hang.
    for (int waited_ms = 0; !io_.stopped() && waited_ms < 2000; waited_ms += 10) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    io_.stop();
    io_thread_.join();
}

void DockerBackend::cancel_all() {
    std::vector<envmgr_operation_id> ids;
    {
        const std::lock_guard lock(operations_mutex_);
        for (const auto& [op_id, op] : operations_) ids.push_back(op_id);
    }
    for (const auto op_id : ids) cancel(op_id);
    boost::asio::post(io_, [this] {
        if (negotiation_) negotiation_->cancel();
    });
}

void DockerBackend::stop(const sdk::Completion& done) {
    cancel_all();
    boost::asio::post(io_, [done] { done.ok(); });
}

envmgr_operation_id DockerBackend::invoke(std::string_view operation, const nlohmann::json& request,
                                          const sdk::Completion& done) {
    auto op = std::make_shared<Operation>();
    op->id = next_id_++;
    op->name = std::string(operation);
    op->request = request;
    op->done = done;
    {
        const std::lock_guard lock(operations_mutex_);
        operations_.emplace(op->id, op);
    }
    boost::asio::post(io_, [this, op] { dispatch(op); });
    return op->id;
}

void DockerBackend::cancel(envmgr_operation_id operation_id) {
    OperationPtr op;
    {
        const std::lock_guard lock(operations_mutex_);
        const auto it = operations_.find(operation_id);
        if (it == operations_.end()) return;
        op = it->second;
    }
    boost::asio::post(io_, [this, op] {
        if (op->cancelled || op->done.done()) return;
        op->cancelled = true;
        if (op->exchange) op->exchange->cancel();
        finish(op, ENVMGR_STATUS_CANCELLED, "cancelled");
    });
}

void DockerBackend::finish(const OperationPtr& op, envmgr_status status, const std::string& payload) {
    op->done.complete(status, payload);
    op->exchange.reset();
    if (auto cleanup = std::move(op->cleanup)) {
        op->cleanup = nullptr;
        cleanup();
    }
    const std::lock_guard lock(operations_mutex_);
    operations_.erase(op->id);
}

void DockerBackend::succeed(const OperationPtr& op, const nlohmann::json& result) {
    // Container output need not be UTF-8: invalid bytes become U+FFFD rather than an error.
    finish(op, ENVMGR_STATUS_OK,
           result.is_null() ? std::string()
                            : result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void DockerBackend::dispatch(const OperationPtr& op) {
    using Handler = void (DockerBackend::*)(const OperationPtr&);
    static const std::unordered_map<std::string_view, Handler> handlers{
        {"system.ping", &DockerBackend::system_ping},
        {"system.version", &DockerBackend::system_version},
        {"system.info", &DockerBackend::system_info},
        {"image.inspect", &DockerBackend::image_inspect},
        {"image.pull", &DockerBackend::image_pull},
        {"image.remove", &DockerBackend::image_remove},
        {"container.create", &DockerBackend::container_create},
        {"container.start", &DockerBackend::container_start},
        {"container.stop", &DockerBackend::container_stop},
        {"container.kill", &DockerBackend::container_kill},
        {"container.remove", &DockerBackend::container_remove},
        {"container.inspect", &DockerBackend::container_inspect},
        {"container.list", &DockerBackend::container_list},
        {"container.wait", &DockerBackend::container_wait},
        {"container.logs", &DockerBackend::container_logs},
        {"container.exec", &DockerBackend::container_exec},
        {"container.stats", &DockerBackend::container_stats},
        {"events.stream", &DockerBackend::events_stream},
    };
    if (op->cancelled) return;
    // A request the handler cannot use throws; a bad request is the caller's error.
    finish_if_throws(op, ENVMGR_STATUS_INVALID, "", [&] {
        const auto it = handlers.find(op->name);
        if (it != handlers.end()) {
            (this->*(it->second))(op);
            return;
        }
        const auto dot = op->name.find('.');
        const std::string object_kind = op->name.substr(0, dot);
        const std::string verb = dot == std::string::npos ? "" : op->name.substr(dot + 1);
        if (object_kind == "network" || object_kind == "volume") {
            if (verb == "ensure") return ensure_object(op, object_kind);
            if (verb == "inspect") return inspect_object(op, object_kind);
            if (verb == "remove") return remove_object(op, object_kind);
        }
        finish(op, ENVMGR_STATUS_UNSUPPORTED, "backend.docker has no operation '" + op->name + "'");
    });
}

HttpRequest DockerBackend::make(http::verb method, const std::string& path) const {
    HttpRequest request;
    request.method = method;
    request.target = path;  // call() puts the negotiated /vX.Y in front
    request.timeout = timeout_;
    return request;
}

void DockerBackend::with_api_version(const OperationPtr& op, std::function<void()> next) {
    if (!api_prefix_.empty()) {
        next();
        return;
    }
    waiting_for_version_.emplace_back(op, std::move(next));
    if (negotiating_) return;
    negotiating_ = true;
    HttpRequest request;
    request.target = "/version";  // unversioned: answered by every engine
    request.timeout = timeout_;
    const auto started = Clock::now();
    negotiation_ = client_->start(
        std::move(request),
        {.on_body = {},
         .on_head = {},
         .on_done = [this, started](std::optional<HttpError> error, const HttpResponse& response) {
             negotiating_ = false;
             negotiation_.reset();
             record_duration("system.version", started);
             auto waiting = std::move(waiting_for_version_);
             waiting_for_version_.clear();
             envmgr_status status = ENVMGR_STATUS_UNAVAILABLE;
             std::string failure;
             if (error) {
                 status = error->status;
                 failure = error->message;
             } else if (response.status != 200) {
                 status = status_for_http(response.status);
                 failure = "GET /version: " + engine_message(response.body, response.status);
             } else {
                 const auto body = nlohmann::json::parse(response.body, nullptr, false);
                 const auto field = body.is_object() ? body.find("ApiVersion") : body.end();
                 const std::string server = body.is_object() && field != body.end() && field->is_string()
                                                ? field->get<std::string>()
                                                : "";
                 if (version_number(server) == 0) {
                     status = ENVMGR_STATUS_INTERNAL;
                     failure = "GET /version: the engine reported no API version";
                 } else {
                     const std::string chosen =
                         version_number(server) < version_number(kMaxApiVersion) ? server : kMaxApiVersion;
                     api_prefix_ = "/v" + chosen;
                     host().info("engine API " + server + "; using " + chosen);
                 }
             }
             // Every waiting operation ends or goes on here, whatever each of them throws.
             for (auto& [waiting_op, resume] : waiting) {
                 if (waiting_op->cancelled || waiting_op->done.done()) continue;
                 if (!failure.empty()) {
                     finish(waiting_op, status, failure);
                     continue;
                 }
                 finish_if_throws(waiting_op, ENVMGR_STATUS_INTERNAL, "", resume);
             }
         }});
}

void DockerBackend::call(const OperationPtr& op, HttpRequest request, OkHandler on_ok,
                         ErrorHandler on_error) {
    with_api_version(op, [this, op, request = std::move(request), on_ok = std::move(on_ok),
                          on_error = std::move(on_error)]() mutable {
        request.target = api_prefix_ + request.target;
        execute(op, std::move(request), std::move(on_ok), std::move(on_error));
    });
}

void DockerBackend::execute(const OperationPtr& op, HttpRequest request, OkHandler on_ok,
                            ErrorHandler on_error) {
    const auto started = Clock::now();
    op->exchange = client_->start(
        std::move(request),
        {.on_body = {},
         .on_head = {},
         .on_done = [this, op, started, on_ok = std::move(on_ok), on_error = std::move(on_error)](
                        std::optional<HttpError> error, HttpResponse response) {
             op->exchange.reset();
             record_duration(op->name, started);
             if (op->cancelled || op->done.done()) return;
             finish_if_throws(
                 op, ENVMGR_STATUS_INTERNAL, "unexpected response from the Docker engine: ", [&] {
                     if (error) {
                         if (!on_error || !on_error(error->status, error->message, 0)) {
                             finish(op, error->status, error->message);
                         }
                         return;
                     }
                     if ((response.status >= 200 && response.status < 300) || response.status == 304) {
                         on_ok(std::move(response));
                         return;
                     }
                     const envmgr_status status = status_for_http(response.status);
                     const std::string message = engine_message(response.body, response.status);
                     if (!on_error || !on_error(status, message, response.status)) {
                         finish(op, status, message);
                     }
                 });
         }});
}

void DockerBackend::record_duration(const std::string& operation, Clock::time_point started) const {
    host().record(ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE, "docker_api_duration_seconds",
                  "Duration of Docker Engine API calls, by backend operation",
                  std::chrono::duration<double>(Clock::now() - started).count(), {{"operation", operation}});
}

void DockerBackend::stream(const OperationPtr& op, HttpRequest request,
                           std::function<bool(std::string_view)> on_body, std::function<void()> on_end) {
    with_api_version(op, [this, op, request = std::move(request), on_body = std::move(on_body),
                          on_end = std::move(on_end)]() mutable {
        request.target = api_prefix_ + request.target;
        const auto started = Clock::now();
        op->exchange = client_->start(
            std::move(request),
            {.on_body =
                 [this, op, on_body = std::move(on_body)](std::string_view bytes) {
                     if (op->cancelled || op->done.done()) return false;
                     try {
                         return on_body(bytes);
                     } catch (const std::exception& e) {
                         // A stream item of the wrong shape: stop reading and say what was wrong.
                         finish(op, ENVMGR_STATUS_INTERNAL,
                                std::string("malformed stream from the Docker engine: ") + e.what());
                         return false;
                     }
                 },
             // A stream's duration is its time to the response head; the rest is the caller's.
             .on_head = [this, op, started](const HttpResponse&) { record_duration(op->name, started); },
             .on_done =
                 [this, op, on_end = std::move(on_end)](std::optional<HttpError> error,
                                                        const HttpResponse& response) {
                     op->exchange.reset();
                     if (op->cancelled || op->done.done()) return;
                     finish_if_throws(op, ENVMGR_STATUS_INTERNAL, "", [&] {
                         if (error) {
                             finish(op, error->status, error->message);
                         } else if (response.status >= 300) {
                             finish(op, status_for_http(response.status),
                                    engine_message(response.body, response.status));
                         } else {
                             on_end();
                         }
                     });
                 }});
    });
}

void DockerBackend::system_ping(const OperationPtr& op) {
    HttpRequest request = make(http::verb::get, "/_ping");
    execute(op, std::move(request), [this, op](const HttpResponse& response) {
        succeed(op, {{"ok", response.body == "OK"}});
    });
}

void DockerBackend::system_version(const OperationPtr& op) {
    call(op, make(http::verb::get, "/version"), [this, op](const HttpResponse& response) {
        const auto body = nlohmann::json::parse(response.body);
        succeed(op, {{"version", body.value("Version", "")},
                     {"api_version", body.value("ApiVersion", "")},
                     {"min_api_version", body.value("MinAPIVersion", "")},
                     {"negotiated_api_version", api_prefix_.substr(2)},
                     {"os", body.value("Os", "")},
                     {"arch", body.value("Arch", "")},
                     {"kernel_version", body.value("KernelVersion", "")}});
    });
}

void DockerBackend::system_info(const OperationPtr& op) {
    call(op, make(http::verb::get, "/info"), [this, op](const HttpResponse& response) {
        const auto body = nlohmann::json::parse(response.body);
        auto runtimes = nlohmann::json::array();
        for (const auto& [name, value] : object_at(body, "Runtimes").items()) {
            runtimes.push_back(name);
        }
        succeed(op, {{"cpus", body.value("NCPU", 0)},
                     {"memory_bytes", body.value("MemTotal", std::int64_t{0})},
                     {"server_version", body.value("ServerVersion", "")},
                     {"operating_system", body.value("OperatingSystem", "")},
                     {"runtimes", runtimes},
                     {"default_runtime", body.value("DefaultRuntime", "")},
                     {"containers_running", body.value("ContainersRunning", 0)}});
    });
}

void DockerBackend::image_inspect(const OperationPtr& op) {
    const std::string image = required_string(op->request, "image");
    call(op, make(http::verb::get, "/images/" + path_part(image) + "/json"),
         [this, op](const HttpResponse& response) {
             const auto body = nlohmann::json::parse(response.body);
             succeed(op, {{"id", body.value("Id", "")},
                          {"tags", list_at(body, "RepoTags")},
                          {"size", body.value("Size", std::int64_t{0})},
                          {"created", unix_seconds(body.value("Created", ""))}});
         });
}

void DockerBackend::image_remove(const OperationPtr& op) {
    const std::string image = required_string(op->request, "image");
    const bool force = op->request.value("force", false);
    call(op, make(http::verb::delete_, "/images/" + path_part(image) + "?force=" + (force ? "1" : "0")),
         [this, op](const HttpResponse& response) {
             succeed(op, {{"deleted", nlohmann::json::parse(response.body, nullptr, false).is_array()}});
         });
}

void DockerBackend::image_pull(const OperationPtr& op) {
    const std::string image = required_string(op->request, "image");
    const auto [name, tag] = split_image_reference(image);
    HttpRequest request =
        make(http::verb::post, "/images/create?fromImage=" + url_encode(name) + "&tag=" + url_encode(tag));
    nlohmann::json auth = op->request.value("auth", nlohmann::json());
    if (auth.is_null()) {
        const std::string registry = registry_of(image);
        if (registry_auth_.contains(registry)) auth = registry_auth_[registry];
        if (!auth.is_null()) auth["serveraddress"] = registry;
    }
    if (auth.is_object()) request.headers.emplace_back("X-Registry-Auth", base64url(auth.dump()));
    // A large layer may take long; what must not happen is silence.
    request.idle_timeout = std::chrono::milliseconds(std::max<std::int64_t>(timeout_.count(), 60000));
    auto progress = std::make_shared<PullProgress>(image);
    auto splitter = std::make_shared<JsonLineSplitter>();
    stream(
        op, std::move(request),
        [op, progress, splitter](std::string_view bytes) {
            const bool ok = splitter->feed(bytes, [&](std::string_view line) {
                const auto json = nlohmann::json::parse(line, nullptr, false);
                if (auto item = progress->on_line(json)) op->done.item(item->dump());
            });
            if (!ok) throw sdk::Error(ENVMGR_STATUS_INTERNAL, "pull progress line longer than 4 MiB");
            return true;
        },
        [this, op, progress, splitter, image] {
            if (!splitter->rest().empty()) {
                const auto json = nlohmann::json::parse(splitter->rest(), nullptr, false);
                if (auto item = progress->on_line(json)) op->done.item(item->dump());
            }
            if (const auto& error = progress->error()) {
                const bool missing = error->find("not found") != std::string::npos ||
                                     error->find("manifest unknown") != std::string::npos ||
                                     error->find("does not exist") != std::string::npos;
                finish(op, missing ? ENVMGR_STATUS_NOT_FOUND : ENVMGR_STATUS_INTERNAL, *error);
                return;
            }
            op->done.item(progress->complete_item().dump());
            succeed(op, {{"image", image}, {"bytes", progress->image_total()}});
        });
}

void DockerBackend::container_create(const OperationPtr& op) {
    if (!op->request.contains("spec") || !op->request["spec"].is_object()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "spec: required (a container spec object)");
    }
    const auto spec = op->request["spec"].get<sdk::ContainerSpec>();
    if (const auto errors = sdk::validate(spec); !errors.empty()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "spec." + errors.front());
    }
    HttpRequest request = make(
        http::verb::post, "/containers/create" + (spec.name.empty() ? "" : "?name=" + url_encode(spec.name)));
    request.body = container_create_body(spec).dump();
    call(op, std::move(request), [this, op](const HttpResponse& response) {
        const auto body = nlohmann::json::parse(response.body);
        succeed(op, {{"id", body.value("Id", "")}, {"warnings", list_at(body, "Warnings")}});
    });
}

void DockerBackend::container_start(const OperationPtr& op) {
    const std::string container = required_string(op->request, "id");
    call(op, make(http::verb::post, "/containers/" + path_part(container) + "/start"),
         [this, op](const HttpResponse& response) {
             succeed(op, {{"already_running", response.status == 304}});
         });
}

void DockerBackend::container_stop(const OperationPtr& op) {
    const std::string container = required_string(op->request, "id");
    const int grace = op->request.value("timeout_seconds", 10);
    if (grace < 0) throw sdk::Error(ENVMGR_STATUS_INVALID, "timeout_seconds: must be >= 0");
    HttpRequest request =
        make(http::verb::post, "/containers/" + path_part(container) + "/stop?t=" + std::to_string(grace));
    request.timeout = timeout_ + std::chrono::seconds(grace);  // the engine waits the grace period
    call(op, std::move(request), [this, op, container](const HttpResponse& stopped) {
        const bool already = stopped.status == 304;
        // The exit code tells whether SIGTERM was enough: 137 is death by SIGKILL.
        call(op, make(http::verb::get, "/containers/" + path_part(container) + "/json"),
             [this, op, already](const HttpResponse& response) {
                 const auto state = object_at(nlohmann::json::parse(response.body), "State");
                 const auto exit_code = state.value("ExitCode", 0);
                 succeed(op, {{"already_stopped", already},
                              {"exit_code", exit_code},
                              {"killed", !already && exit_code == 137}});
             });
    });
}

void DockerBackend::container_kill(const OperationPtr& op) {
    const std::string container = required_string(op->request, "id");
    const std::string signal = op->request.value("signal", "SIGKILL");
    call(op,
         make(http::verb::post, "/containers/" + path_part(container) + "/kill?signal=" + url_encode(signal)),
         [this, op](const HttpResponse&) { succeed(op, nlohmann::json::object()); });
}

void DockerBackend::container_remove(const OperationPtr& op) {
    const std::string container = required_string(op->request, "id");
    const bool force = op->request.value("force", false);
    const bool volumes = op->request.value("volumes", false);
    call(op,
         make(http::verb::delete_, "/containers/" + path_part(container) + "?force=" + (force ? "1" : "0") +
                                       "&v=" + (volumes ? "1" : "0")),
         [this, op](const HttpResponse&) { succeed(op, nlohmann::json::object()); });
}

void DockerBackend::container_inspect(const OperationPtr& op) {
    const std::string container = required_string(op->request, "id");
    call(op, make(http::verb::get, "/containers/" + path_part(container) + "/json"),
         [this, op](const HttpResponse& response) {
             succeed(op, container_from_inspect(parse_selected(response.body, inspect_selection())));
         });
}

void DockerBackend::container_list(const OperationPtr& op) {
    const auto labels = string_map(op->request, "labels");
    const bool all = op->request.value("all", true);
    std::string path = "/containers/json?all=" + std::string(all ? "1" : "0");
    if (!labels.empty()) path += "&filters=" + url_encode(label_filters(labels));
    call(op, make(http::verb::get, path), [this, op](const HttpResponse& response) {
        auto containers = nlohmann::json::array();
        for (const auto& entry : parse_selected(response.body, list_entry_selection())) {
            containers.push_back(container_from_list_entry(entry));
        }
        succeed(op, {{"containers", containers}});
    });
}

void DockerBackend::container_wait(const OperationPtr& op) {
    const std::string container = required_string(op->request, "id");
    const std::string condition = op->request.value("condition", "not-running");
    HttpRequest request = make(
        http::verb::post, "/containers/" + path_part(container) + "/wait?condition=" + url_encode(condition));
    request.timeout =
        bounded_timeout(op->request.value("timeout_ms", std::int64_t{0}), std::chrono::hours(24));
    call(op, std::move(request), [this, op](const HttpResponse& response) {
        const auto body = nlohmann::json::parse(response.body);
        succeed(op, {{"exit_code", body.value("StatusCode", 0)}});
    });
}

void DockerBackend::container_logs(const OperationPtr& op) {
    const std::string container = required_string(op->request, "id");
    const bool follow = op->request.value("follow", false);
    const std::int64_t tail = op->request.value("tail", std::int64_t{0});
    const std::int64_t since = op->request.value("since", std::int64_t{0});
    // The stream is multiplexed unless the container has a TTY: inspect first to know which.
    call(op, make(http::verb::get, "/containers/" + path_part(container) + "/json"),
         [this, op, container, follow, tail, since](const HttpResponse& inspected) {
             const bool tty = object_at(nlohmann::json::parse(inspected.body), "Config").value("Tty", false);
             std::string path = "/containers/" + path_part(container) +
                                "/logs?stdout=1&stderr=1&timestamps=1" + "&follow=" + (follow ? "1" : "0") +
                                "&tail=" + (tail > 0 ? std::to_string(tail) : std::string("all"));
             if (since > 0) path += "&since=" + std::to_string(since);
             HttpRequest request = make(http::verb::get, path);
             struct LogState {
                 LogFrameDecoder frames;
                 std::map<std::string, std::string> partial;  // per stream: text after the last newline
             };
             auto state = std::make_shared<LogState>();
             auto emit_lines = [op, state](std::string_view stream_name, std::string_view text, bool flush) {
                 const auto emit_line = [&](std::string_view line) {
                     const auto [seconds, message] = split_timestamp(line);
                     op->done.item(
                         nlohmann::json{{"stream", stream_name}, {"message", message}, {"timestamp", seconds}}
                             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
                 };
                 std::string& pending = state->partial[std::string(stream_name)];
                 pending.append(text);
                 std::size_t start = 0;
                 for (auto newline = pending.find('\n'); newline != std::string::npos;
                      newline = pending.find('\n', start)) {
                     emit_line(std::string_view(pending).substr(start, newline - start));
                     start = newline + 1;
                 }
                 pending.erase(0, start);
                 // A line without end (a progress bar redrawn with \r, binary output) is
                 // delivered in pieces rather than held without bound.
                 if ((flush || pending.size() > kMaxLogLine) && !pending.empty()) {
                     emit_line(pending);
                     pending.clear();
                 }
             };
             stream(
                 op, std::move(request),
                 [state, tty, emit_lines](std::string_view bytes) {
                     if (tty) {
                         emit_lines("stdout", bytes, false);
                         return true;
                     }
                     if (!state->frames.feed(bytes, [&](LogFrameDecoder::Stream s, std::string_view payload) {
                             emit_lines(stream_name(s), payload, false);
                         })) {
                         throw sdk::Error(ENVMGR_STATUS_INTERNAL,
                                          "malformed log stream: " + state->frames.error());
                     }
                     return true;
                 },
                 [this, op, state, emit_lines] {
                     if (state->frames.truncated()) {
                         finish(op, ENVMGR_STATUS_UNAVAILABLE,
                                "the log stream ended in the middle of a frame");
                         return;
                     }
                     for (const auto& name : {"stdout", "stderr"}) emit_lines(name, "", true);
                     succeed(op, nlohmann::json::object());
                 });
         });
}

void DockerBackend::container_exec(const OperationPtr& op) {
    const std::string container = required_string(op->request, "id");
    const auto command = op->request.contains("command") ? op->request["command"] : nlohmann::json::array();
    if (!command.is_array() || command.empty()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "command: required (a non-empty array of strings)");
    }
    const std::int64_t requested_ms = op->request.value("timeout_ms", std::int64_t{30000});
    if (requested_ms <= 0) throw sdk::Error(ENVMGR_STATUS_INVALID, "timeout_ms: must be > 0");
    const std::int64_t timeout_ms = bounded_timeout(requested_ms, std::chrono::milliseconds(0)).count();
    HttpRequest create = make(http::verb::post, "/containers/" + path_part(container) + "/exec");
    create.body = nlohmann::json{{"Cmd", command}, {"AttachStdout", true}, {"AttachStderr", true}}.dump();
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    // The whole exec (create, run, result) shares one deadline.
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, deadline);
    timer->async_wait([this, op, timeout_ms](boost::system::error_code ec) {
        if (ec || op->done.done()) return;
        op->cancelled = true;
        if (op->exchange) op->exchange->cancel();
        finish(op, ENVMGR_STATUS_TIMEOUT, "exec did not finish within " + std::to_string(timeout_ms) + " ms");
    });
    op->cleanup = [timer] { timer->cancel(); };
    call(op, std::move(create), [this, op, timer](const HttpResponse& created) {
        const std::string exec_id = nlohmann::json::parse(created.body).value("Id", "");
        HttpRequest start = make(http::verb::post, "/exec/" + exec_id + "/start");
        start.body = R"({"Detach":false,"Tty":false})";
        struct Output {
            LogFrameDecoder frames;
            std::string out, err;
            bool truncated = false;
        };
        auto output = std::make_shared<Output>();
        stream(
            op, std::move(start),
            [output](std::string_view bytes) {
                const bool ok =
                    output->frames.feed(bytes, [&](LogFrameDecoder::Stream s, std::string_view payload) {
                        std::string& sink =
                            s == LogFrameDecoder::Stream::stderr_stream ? output->err : output->out;
                        const std::size_t room = kMaxExecOutput - std::min(kMaxExecOutput, sink.size());
                        if (payload.size() > room) output->truncated = true;
                        sink.append(payload.substr(0, room));
                    });
                if (!ok) {
                    throw sdk::Error(ENVMGR_STATUS_INTERNAL,
                                     "malformed exec stream: " + output->frames.error());
                }
                return true;
            },
            [this, op, exec_id, output, timer] {
                call(op, make(http::verb::get, "/exec/" + exec_id + "/json"),
                     [this, op, output, timer](const HttpResponse& response) {
                         timer->cancel();
                         const auto body = nlohmann::json::parse(response.body);
                         succeed(op, nlohmann::json{{"exit_code", body.value("ExitCode", -1)},
                                                    {"stdout", output->out},
                                                    {"stderr", output->err},
                                                    {"truncated", output->truncated}});
                     });
            });
    });
}

void DockerBackend::container_stats(const OperationPtr& op) {
    const std::string container = required_string(op->request, "id");
    // stream=false waits for a second sample so that precpu_stats is filled (~1 s).
    HttpRequest request =
        make(http::verb::get, "/containers/" + path_part(container) + "/stats?stream=false");
    call(op, std::move(request), [this, op](const HttpResponse& response) {
        succeed(op, nlohmann::json(usage_from_stats(parse_selected(response.body, stats_selection()))));
    });
}

void DockerBackend::events_stream(const OperationPtr& op) {
    auto state = std::make_shared<EventsState>();
    state->filters = label_filters(string_map(op->request, "labels"), "container");
    if (op->request.contains("since")) {
        state->since = std::to_string(op->request.value("since", std::int64_t{0}));
    }
    state->retry_timer = std::make_unique<boost::asio::steady_timer>(io_);
    op->cleanup = [state] { state->retry_timer->cancel(); };
    events_connect(op, state);
}

void DockerBackend::events_connect(const OperationPtr& op, const std::shared_ptr<EventsState>& state) {
    std::string path = "/events?filters=" + url_encode(state->filters);
    if (!state->since.empty()) path += "&since=" + state->since;
    HttpRequest request = make(http::verb::get, path);
    state->splitter = JsonLineSplitter();
    with_api_version(op, [this, op, state, request = std::move(request)]() mutable {
        request.target = api_prefix_ + request.target;
        op->exchange = client_->start(
            std::move(request),
            {.on_body =
                 [op, state](std::string_view bytes) {
                     return state->splitter.feed(bytes, [&](std::string_view line) {
                         const auto event = nlohmann::json::parse(line, nullptr, false);
                         if (!event.is_object()) return;
                         try {
                             forward_event(op, *state, event);
                         } catch (const nlohmann::json::exception&) {
                             // One event of an unexpected shape is skipped; the stream goes on.
                         }
                     });
                 },
             .on_head =
                 [op, state](const HttpResponse& head) {
                     if (head.status != 200) return;
                     state->backoff = std::chrono::milliseconds(100);
                     if (state->connected_before) {
                         op->done.item(R"({"type":"stream","action":"reconnected"})");
                     }
                     state->connected_before = true;
                 },
             .on_done =
                 [this, op, state](std::optional<HttpError> error, const HttpResponse& response) {
                     op->exchange.reset();
                     if (op->cancelled || op->done.done()) return;
                     if (!error && response.status >= 400 && response.status < 500) {
                         finish(op, status_for_http(response.status),
                                engine_message(response.body, response.status));
                         return;
                     }
                     // The engine went away (restart, crash): say so, then reconnect with back-off and
                     // resume from the last event seen, so that nothing in between is lost.
                     const std::string reason = error ? error->message : "the engine ended the event stream";
                     op->done.item(
                         nlohmann::json{{"type", "stream"}, {"action", "disconnected"}, {"message", reason}}
                             .dump());
                     state->retry_timer->expires_after(state->backoff);
                     state->backoff = std::min(state->backoff * 2, std::chrono::milliseconds(2000));
                     state->retry_timer->async_wait([this, op, state](boost::system::error_code ec) {
                         if (ec || op->cancelled || op->done.done()) return;
                         events_connect(op, state);
                     });
                 }});
    });
}

void DockerBackend::ensure_object(const OperationPtr& op, const std::string& object_kind) {
    const std::string name = required_string(op->request, "name");
    const auto labels = string_map(op->request, "labels");
    const std::string base = object_kind == "network" ? "/networks/" : "/volumes/";
    const auto driver_field = op->request.find("driver");
    if (driver_field != op->request.end() && !driver_field->is_string()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "driver: must be a string");
    }
    const std::string driver =
        driver_field != op->request.end() ? driver_field->get<std::string>() : "bridge";
    call(
        op, make(http::verb::get, base + path_part(name)),
        [this, op, object_kind](const HttpResponse& response) {
            const auto body = nlohmann::json::parse(response.body);
            succeed(op,
                    {{"id", body.value(object_kind == "network" ? "Id" : "Name", "")}, {"created", false}});
        },
        [this, op, object_kind, name, labels, base, driver](envmgr_status status, const std::string&,
                                                            unsigned) {
            if (status != ENVMGR_STATUS_NOT_FOUND) return false;
            HttpRequest create = make(http::verb::post, base + "create");
            nlohmann::json body{{"Name", name}, {"Labels", labels}};
            if (object_kind == "network") {
                body["CheckDuplicate"] = true;
                body["Driver"] = driver;
            }
            create.body = body.dump();
            call(op, std::move(create), [this, op, object_kind](const HttpResponse& response) {
                const auto created = nlohmann::json::parse(response.body);
                succeed(op, {{"id", created.value(object_kind == "network" ? "Id" : "Name", "")},
                             {"created", true}});
            });
            return true;
        });
}

void DockerBackend::inspect_object(const OperationPtr& op, const std::string& object_kind) {
    const std::string name = required_string(op->request, "name");
    call(op, make(http::verb::get, (object_kind == "network" ? "/networks/" : "/volumes/") + path_part(name)),
         [this, op, object_kind](const HttpResponse& response) {
             const auto body = nlohmann::json::parse(response.body);
             nlohmann::json result{{"name", body.value("Name", "")}, {"labels", object_at(body, "Labels")}};
             if (object_kind == "network") {
                 result["id"] = body.value("Id", "");
                 result["driver"] = body.value("Driver", "");
                 auto containers = nlohmann::json::array();
                 for (const auto& [container_id, c] : object_at(body, "Containers").items()) {
                     containers.push_back({{"id", container_id}, {"name", c.value("Name", "")}});
                 }
                 result["containers"] = containers;
             } else {
                 result["id"] = body.value("Name", "");
                 result["mountpoint"] = body.value("Mountpoint", "");
             }
             succeed(op, result);
         });
}

void DockerBackend::remove_object(const OperationPtr& op, const std::string& object_kind) {
    const std::string name = required_string(op->request, "name");
    std::string path = (object_kind == "network" ? "/networks/" : "/volumes/") + path_part(name);
    if (object_kind == "volume" && op->request.value("force", false)) path += "?force=1";
    call(op, make(http::verb::delete_, path),
         [this, op](const HttpResponse&) { succeed(op, nlohmann::json::object()); });
}

}  // namespace envmgr::docker
