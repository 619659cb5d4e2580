// image.inspect, image.pull (streams progress), image.remove.
#include "plugins/backends/docker/engine_time.h"
#include "plugins/backends/docker/image_reference.h"
#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/operation_table.h"
#include "plugins/backends/docker/pull_progress.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/registry_credentials.h"
#include "plugins/backends/docker/request_fields.h"
#include "plugins/backends/docker/stream_decoders.h"

#include <algorithm>

namespace envmgr::plugins::backends::docker {
namespace {
namespace http = boost::beast::http;

void image_inspect(EngineApi& engine, const OperationPtr& op) {
    const std::string image = required_string(op->request, "image");
    engine.call(op, engine.make(http::verb::get, "/images/" + url_encode(image) + "/json"),
                [&engine, op](const HttpResponse& response) {
                    const auto body = nlohmann::json::parse(response.body);
                    const auto config = object_at(body, "Config");
                    engine.succeed(op, {{"id", body.value("Id", "")},
                                        {"tags", list_at(body, "RepoTags")},
                                        {"size", body.value("Size", std::int64_t{0})},
                                        {"created", unix_seconds(body.value("Created", ""))},
                                        {"entrypoint", list_at(config, "Entrypoint")},
                                        {"command", list_at(config, "Cmd")}});
                });
}

void image_remove(EngineApi& engine, const OperationPtr& op) {
    const std::string image = required_string(op->request, "image");
    const bool force = op->request.value("force", false);
    engine.call(
        op,
        engine.make(http::verb::delete_, "/images/" + url_encode(image) + "?force=" + (force ? "1" : "0")),
        [&engine, op](const HttpResponse& response) {
            engine.succeed(op,
                           {{"deleted", nlohmann::json::parse(response.body, nullptr, false).is_array()}});
        });
}

// The X-Registry-Auth document: the request's own, else the configured one for its registry.
nlohmann::json pull_auth(const EngineApi& engine, const nlohmann::json& request, const std::string& image) {
    const nlohmann::json auth = request.value("auth", nlohmann::json());
    return auth.is_null() ? registry_auth_for(engine.registry_auth(), image) : auth;
}

void image_pull(EngineApi& engine, const OperationPtr& op) {
    const std::string image = required_string(op->request, "image");
    const auto [name, tag] = split_image_reference(image);
    HttpRequest request = engine.make(
        http::verb::post, "/images/create?fromImage=" + url_encode(name) + "&tag=" + url_encode(tag));
    if (const auto auth = pull_auth(engine, op->request, image); auth.is_object()) {
        request.headers.emplace_back("X-Registry-Auth", base64url(auth.dump()));
    }
    // A large layer may take long; what must not happen is silence.
    request.idle_timeout = std::chrono::milliseconds(std::max<std::int64_t>(engine.timeout().count(), 60000));
    auto progress = std::make_shared<PullProgress>(image);
    auto splitter = std::make_shared<JsonLineSplitter>();
    const auto started = std::chrono::steady_clock::now();
    // The pull's whole time (not the call's time to its first byte) and the bytes it fetched.
    const auto record_pull = [&engine, started](const char* result, std::int64_t bytes) {
        engine.host().record(
            ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE, "image_pull_duration_seconds",
            "Duration of image pulls, by result",
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
            {{"result", result}});
        if (bytes > 0) {
            engine.host().record(ENVMGR_METRIC_KIND_COUNTER_ADD, "image_pull_bytes_total",
                                 "Bytes of image layers pulled", static_cast<double>(bytes));
        }
    };
    engine.stream(
        op, std::move(request),
        [op, progress, splitter](std::string_view bytes) {
            const bool ok = splitter->feed(bytes, [&](std::string_view line) {
                const auto json = nlohmann::json::parse(line, nullptr, false);
                if (auto item = progress->on_line(json)) op->done.item(item->dump());
            });
            if (!ok) throw sdk::Error(ENVMGR_STATUS_INTERNAL, "pull progress line longer than 4 MiB");
            return true;
        },
        [&engine, op, progress, splitter, image, record_pull] {
            if (!splitter->rest().empty()) {
                const auto json = nlohmann::json::parse(splitter->rest(), nullptr, false);
                if (auto item = progress->on_line(json)) op->done.item(item->dump());
            }
            if (const auto& error = progress->error()) {
                record_pull("error", 0);
                engine.finish(op, pull_error_status(*error), *error);
                return;
            }
            record_pull("complete", progress->image_total());
            op->done.item(progress->complete_item().dump());
            engine.succeed(op, {{"image", image}, {"bytes", progress->image_total()}});
        });
}

}  // namespace

void add_image_operations(OperationTable& table) {
    table.emplace("image.inspect", &image_inspect);
    table.emplace("image.pull", &image_pull);
    table.emplace("image.remove", &image_remove);
}

}  // namespace envmgr::plugins::backends::docker
