// The image phase of a start: every image a service will be created from is checked, and the
// missing ones pulled, all in parallel from the start. Once every check has answered (about a
// millisecond each, so that the first launches go in critical-path order), each service may be
// created and launched as soon as its own image is there: a pull holds back only its own
// services, and a pull failure fails only them. Pull progress is
// published as state changes of those services and on the `progress` topic.
#include "host/scheduler/start_run.h"

#include <fmt/format.h>

#include <boost/asio/post.hpp>

namespace envmgr::host::scheduler {
namespace {

nlohmann::json pull_progress_document(const std::string& tenant, const std::string& image,
                                      const std::vector<std::string>& services, int percent, bool done,
                                      const std::string& error) {
    return {{"operation", "image.pull"}, {"tenant", tenant}, {"image", image}, {"services", services},
            {"percent", percent},        {"done", done},     {"error", error}};
}

}  // namespace

void StartRun::check_images() {
    std::map<std::string, std::vector<std::string>> users;  // image -> services that will create from it
    for (const auto& service : services_) {
        const auto& instance = core_->instance(key(service));
        const auto* definition = chosen_definition(service);
        if (instance.busy ||
            (!instance.container_id.empty() && instance.container_hash == definition->definition_hash)) {
            members_[service].image_ready = true;  // its container is there: no image needed
            continue;
        }
        users[definition->definition.image].push_back(service);
    }
    recorder_.images_begin(timeline::Clock::now());
    images_pending_ = users.size();
    inspections_pending_ = users.size();
    if (users.empty()) return image_ready({}, {});
    for (const auto& [image, services] : users) {
        const auto pulled = [this, image = image, services = services](const sdk::Result& result) {
            image_ready(services, result.ok() ? result
                                              : sdk::Result{result.status, "pull of " + image +
                                                                               " failed: " + result.payload});
        };
        core_->call("image.inspect", {{"image", image}}, shared_from_this(),
                    [this, image = image, services = services, pulled](const sdk::Result& found) {
                        --inspections_pending_;
                        if (found.status != ENVMGR_STATUS_NOT_FOUND) return pulled({ENVMGR_STATUS_OK, ""});
                        pull(image, services, pulled);
                        schedule();  // what is there may go now
                    });
    }
}

void StartRun::image_ready(const std::vector<std::string>& services, const sdk::Result& result) {
    if (finished_) return;
    for (const auto& service : services) {
        if (!result.ok()) {
            fail(service, result.status, result.payload);
        } else {
            members_[service].image_ready = true;
            dirty_.insert(service);
        }
    }
    if (images_pending_ == 0 || --images_pending_ == 0) recorder_.images_end(timeline::Clock::now());
    precreate_ready();
    schedule();
}

void StartRun::pull(const std::string& image, const std::vector<std::string>& services,
                    std::function<void(const sdk::Result&)> pulled) {
    for (const auto& service : services) {
        core_->set_state(key(service), ServiceState::pulling, "pulling " + image, 0);
    }
    const auto publish = [bus = core_->bus(), tenant = request_.tenant, image, services](
                             int percent, bool done, const std::string& error) {
        if (bus != nullptr) {
            bus->publish("progress",
                         pull_progress_document(tenant, image, services, percent, done, error).dump());
        }
    };
    publish(0, false, "");
    auto last = std::make_shared<int>(-1);
    core_->call(
        "image.pull", {{"image", image}}, shared_from_this(),
        [publish, pulled = std::move(pulled)](const sdk::Result& result) {
            publish(result.ok() ? 100 : 0, true, result.ok() ? "" : result.payload);
            pulled(result);
        },
        [this, image, services, last, publish](std::string_view item_json) {
            const auto item = nlohmann::json::parse(item_json, nullptr, false);
            const int percent = item.is_object() ? item.value("progress_percent", 0) : 0;
            if (percent < *last + 5) return;  // an event per 5 %, not per chunk
            *last = percent;
            publish(percent, false, "");
            constexpr double kMiB = 1024.0 * 1024.0;
            const std::string message =
                fmt::format("pulling {}: {} % ({:.1f} of {:.1f} MiB)", image, percent,
                            static_cast<double>(item.value("image_current", std::int64_t{0})) / kMiB,
                            static_cast<double>(item.value("image_total", std::int64_t{0})) / kMiB);
            boost::asio::post(core_->strand(), [self = shared_from_this(), services, percent, message] {
                if (self->core_->closed()) return;
                for (const auto& service : services) {
                    self->core_->set_state(self->key(service), ServiceState::pulling, message, percent);
                }
            });
        });
}

}  // namespace envmgr::host::scheduler
