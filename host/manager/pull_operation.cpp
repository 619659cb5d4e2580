// images.pull (PullImages): the named images, or every image of the tenant's services, pulled in
// parallel; progress per image from its layers; the call fails only when every image failed.
#include "host/manager/manager_call.h"

#include <algorithm>
#include <memory>
#include <utility>

namespace envmgr::host::manager {
namespace {

// Per image: its last reported figures, so that an item goes out only when something moved.
struct ImagePull {
    std::string image;
    std::string status = "waiting";
    std::int64_t current = 0;
    std::int64_t total = 0;
    int percent = 0;
    std::string error;
    bool done = false;
};

struct PullAll {
    std::mutex mutex;
    std::vector<ImagePull> images;
    std::size_t remaining = 0;
    std::vector<std::uint64_t> work;
};

nlohmann::json progress_item(const ImagePull& pull) {
    return {{"image", pull.image}, {"status", pull.status},   {"current", pull.current},
            {"total", pull.total}, {"percent", pull.percent}, {"error", pull.error}};
}

// The backend's per-layer status as the wire's: downloading, extracting.
std::string phase_of(const nlohmann::json& item, const std::string& before) {
    const std::string status = item.value("status", "");
    if (status == "extracting") return "extracting";
    if (status == "downloading") return before == "extracting" ? before : "downloading";
    return before == "waiting" ? "downloading" : before;
}

// Each image once, in the order named.
std::shared_ptr<PullAll> distinct_pulls(const std::vector<std::string>& images) {
    auto all = std::make_shared<PullAll>();
    for (const auto& image : images) {
        if (std::none_of(all->images.begin(), all->images.end(),
                         [&](const auto& p) { return p.image == image; })) {
            ImagePull pull;
            pull.image = image;
            all->images.push_back(std::move(pull));
        }
    }
    all->remaining = all->images.size();
    return all;
}

// Records how one image's pull ended: its last progress item, and whether it was the last.
std::pair<nlohmann::json, bool> record_end(PullAll& all, std::size_t index, const sdk::Result& result) {
    const std::lock_guard lock(all.mutex);
    auto& pull = all.images[index];
    pull.done = true;
    if (result.ok()) {
        pull.status = "complete";
        pull.percent = 100;
        pull.current = std::max(pull.current, pull.total);
    } else {
        pull.status = "error";
        pull.error = result.payload;
    }
    return {progress_item(pull), --all.remaining == 0};
}

// Records a backend progress item for one image: the progress item to send, or null when nothing
// a caller sees moved.
nlohmann::json record_progress(PullAll& all, std::size_t index, const nlohmann::json& item) {
    const std::lock_guard lock(all.mutex);
    auto& pull = all.images[index];
    // Never backwards: the layers' sum can grow as new layers are announced.
    const auto current = std::max(pull.current, item.value("image_current", std::int64_t{0}));
    const auto total = std::max(pull.total, item.value("image_total", std::int64_t{0}));
    const int percent = std::max(pull.percent, std::min(99, item.value("progress_percent", 0)));
    const auto phase = phase_of(item, pull.status);
    if (percent == pull.percent && phase == pull.status && total == pull.total) return nullptr;
    pull.current = current;
    pull.total = total;
    pull.percent = percent;
    pull.status = phase;
    return progress_item(pull);
}

// Completes the call once every pull ended: each image's outcome, failed only when all failed.
void complete(const sdk::Completion& done, const PullAll& all, envmgr_status last_status) {
    auto outcome = nlohmann::json::array();
    std::string failures;
    bool any_ok = false;
    for (const auto& pull : all.images) {
        outcome.push_back({{"image", pull.image}, {"ok", pull.error.empty()}, {"error", pull.error}});
        any_ok = any_ok || pull.error.empty();
        if (!pull.error.empty()) failures += (failures.empty() ? "" : "; ") + pull.image + ": " + pull.error;
    }
    if (any_ok) {
        done.ok(nlohmann::json{{"images", outcome}}.dump());
    } else {
        done.fail(last_status, "every image failed to pull: " + failures);
    }
}

}  // namespace

envmgr_operation_id ManagerOperations::pull_images(const std::shared_ptr<Call>& call, const Request& asked) {
    std::string error;
    auto images = field<std::vector<std::string>>(asked.body, "images", {}, error);
    if (!images) return refuse(call, ENVMGR_STATUS_INVALID, error);
    if (!engine_.has_tenant(asked.tenant)) {
        return refuse(call, ENVMGR_STATUS_NOT_FOUND, "tenant '" + asked.tenant + "' is not configured");
    }
    for (std::size_t i = 0; i < images->size(); ++i) {
        if ((*images)[i].empty()) {
            return refuse(call, ENVMGR_STATUS_INVALID, "images[" + std::to_string(i) + "]: empty image name");
        }
    }
    if (images->empty()) *images = engine_.images_of(asked.tenant);
    if (images->empty()) {
        return refuse(call, ENVMGR_STATUS_INVALID, "images: none named and the tenant has no services");
    }
    const auto all = distinct_pulls(*images);
    const auto id = call->id;
    auto& backend = engine_.backend();
    for (std::size_t index = 0; index < all->images.size(); ++index) {
        const auto finished = [this, call, all, index](const sdk::Result& result) {
            const auto [item, last] = record_end(*all, index, result);
            call->done.item(item.dump());
            if (!last) return;
            forget(call->id);
            complete(call->done, *all, result.status);
        };
        const auto progress = [call, all, index](std::string_view item_json) {
            const auto item = nlohmann::json::parse(item_json, nullptr, false);
            if (!item.is_object() || item.value("layer", "").empty()) return;  // the final summary item
            if (const auto update = record_progress(*all, index, item); !update.is_null()) {
                call->done.item(update.dump());
            }
        };
        const auto work =
            backend.invoke("image.pull", {{"image", all->images[index].image}}, finished, progress);
        if (work != 0) {
            const std::lock_guard lock(all->mutex);
            all->work.push_back(work);
        }
    }
    // A caller that goes away ends the pulls (nothing else waits for them).
    call->on_cancel([all, &backend] {
        std::vector<std::uint64_t> work;
        {
            const std::lock_guard lock(all->mutex);
            work = all->work;
        }
        for (const auto pull : work) backend.cancel(pull);
    });
    return id;
}

}  // namespace envmgr::host::manager
