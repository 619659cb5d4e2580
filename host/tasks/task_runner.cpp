#include "host/tasks/task_runner.h"

#include "host/tasks/task_output.h"

#include <chrono>
#include <mutex>

namespace envmgr::host::tasks {
namespace {

constexpr const char* kTaskLabel = "env-manager.task";

}  // namespace

struct TaskRunner::Running {
    Task task;
    Done done;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    WorkloadSlots* slots = nullptr;
    std::mutex mutex;
    std::uint64_t work = 0;  // the backend operation in flight
    int stage = 0;           // of `work`
    bool cancelled = false;
    bool finished = false;

    [[nodiscard]] std::int64_t timeout_ms() const { return task.timeout_seconds * 1000; }

    void finish(envmgr_status status, nlohmann::json result, const std::string& message) {
        Done callback;
        {
            const std::lock_guard lock(mutex);
            if (finished) return;
            finished = true;
            callback = std::move(done);
        }
        slots->release(task.workload_class);
        if (status == ENVMGR_STATUS_OK) {
            bound_task_output(result);
            result["latency_ms"] =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        }
        callback(status, result, message);
    }

    // Records the backend operation of a stage (1: exec or image check, 2: pull, 3: run) so that
    // a cancel reaches it. A later stage may be recorded before an earlier one's invoke returned
    // (its completion ran first): the earlier id is then ignored. After a cancel, it is cancelled
    // at once.
    void track(int at, std::uint64_t id, scheduler::BackendClient& backend) {
        bool cancel_now = false;
        {
            const std::lock_guard lock(mutex);
            if (at < stage || id == 0) return;
            stage = at;
            work = id;
            cancel_now = cancelled;
        }
        if (cancel_now) backend.cancel(id);
    }
    [[nodiscard]] bool was_cancelled() {
        const std::lock_guard lock(mutex);
        return cancelled;
    }
};

TaskRunner::TaskRunner(scheduler::LifecycleEngine& engine, scheduler::BackendClient& backend,
                       TaskSettings settings)
    : engine_(engine),
      backend_(backend),
      settings_(std::move(settings)),
      slots_(settings_.capacity),
      figures_(std::make_shared<HostFiguresReader>(settings_.nvidia_smi, std::chrono::seconds(2))) {}

TaskRunner::Cancel TaskRunner::execute(Task task, Done done) {
    if (task.timeout_seconds == 0) task.timeout_seconds = settings_.default_timeout_seconds;
    if (!task.payload.service.empty() && !engine_.has_service(task.tenant, task.payload.service)) {
        done(ENVMGR_STATUS_NOT_FOUND, nullptr,
             "payload.service: no service '" + task.payload.service + "' in tenant '" + task.tenant + "'");
        return {};
    }
    if (!slots_.acquire(task.workload_class)) {
        const auto usage = slots_.usage(task.workload_class);
        done(ENVMGR_STATUS_CONFLICT, nullptr,
             "workload_class: " + task.workload_class + " is at capacity (" + std::to_string(usage.in_use) +
                 " of " + std::to_string(usage.capacity) +
                 " in use); retry when GetResourceAvailability says available");
        return {};
    }
    auto running = std::make_shared<Running>();
    running->task = std::move(task);
    running->done = std::move(done);
    running->slots = &slots_;
    if (running->task.payload.service.empty()) {
        in_image(running);
    } else {
        in_service(running);
    }
    return [running, &backend = backend_] {
        std::uint64_t work = 0;
        {
            const std::lock_guard lock(running->mutex);
            running->cancelled = true;
            work = running->work;
        }
        if (work != 0) backend.cancel(work);
    };
}

void TaskRunner::in_service(const std::shared_ptr<Running>& running) {
    const auto& payload = running->task.payload;
    engine_.container_of(running->task.tenant, payload.service, [this, running](const std::string& id) {
        const auto& task = running->task;
        if (running->was_cancelled()) return running->finish(ENVMGR_STATUS_CANCELLED, nullptr, "cancelled");
        if (id.empty()) {
            running->finish(ENVMGR_STATUS_CONFLICT, nullptr,
                            "payload.service: service '" + task.payload.service +
                                "' has no container (never started here, or removed): start it first");
            return;
        }
        nlohmann::json request{{"id", id},
                               {"command", task.payload.argv},
                               {"env", task.payload.env},
                               {"timeout_ms", running->timeout_ms()}};
        if (!task.payload.workdir.empty()) request["workdir"] = task.payload.workdir;
        if (task.payload.stdin_data) request["stdin"] = *task.payload.stdin_data;
        running->track(
            1,
            backend_.invoke("container.exec", request,
                            [running](const sdk::Result& result) { complete(running, result, "exec"); }),
            backend_);
    });
}

void TaskRunner::in_image(const std::shared_ptr<Running>& running) {
    const std::string image = running->task.payload.image;
    const auto pulled = [this, running, image](const sdk::Result& result) {
        if (!result.ok()) {
            running->finish(result.status, nullptr,
                            "payload.image: pull of " + image + " failed: " + result.payload);
            return;
        }
        run_throwaway(running);
    };
    const auto found = [this, running, image, pulled](const sdk::Result& result) {
        if (result.status != ENVMGR_STATUS_NOT_FOUND) return run_throwaway(running);
        if (running->was_cancelled()) return running->finish(ENVMGR_STATUS_CANCELLED, nullptr, "cancelled");
        running->track(2, backend_.invoke("image.pull", {{"image", image}}, pulled), backend_);
    };
    running->track(1, backend_.invoke("image.inspect", {{"image", image}}, found), backend_);
}

void TaskRunner::run_throwaway(const std::shared_ptr<Running>& running) {
    if (running->was_cancelled()) return running->finish(ENVMGR_STATUS_CANCELLED, nullptr, "cancelled");
    const auto& task = running->task;
    // Labelled as a task, not as a service: adoption never takes it for one.
    nlohmann::json spec{{"image", task.payload.image},
                        {"command", task.payload.argv},
                        {"env", task.payload.env},
                        {"labels",
                         {{kTaskLabel, task.task_id.empty() ? "-" : task.task_id},
                          {"env-manager.task-tenant", task.tenant}}}};
    // A gpu task sees the host's GPUs (the class's capacity is the GPUs found).
    if (task.workload_class == "gpu") spec["gpu"] = {{"count", -1}};
    nlohmann::json request{{"spec", spec}, {"timeout_ms", running->timeout_ms()}};
    if (!task.payload.workdir.empty()) request["workdir"] = task.payload.workdir;
    if (task.payload.stdin_data) request["stdin"] = *task.payload.stdin_data;
    running->track(
        3,
        backend_.invoke("container.run", request,
                        [running](const sdk::Result& result) { complete(running, result, "container"); }),
        backend_);
}

void TaskRunner::sweep_leftovers(const std::function<void(const std::string&)>& log) {
    // Tasks end with the call that ran them; one still there was left by a daemon that died.
    backend_.invoke(
        "container.list", {{"labels", {{kTaskLabel, ""}}}, {"all", true}},
        [this, log](const sdk::Result& listed) {
            const auto document = nlohmann::json::parse(listed.payload, nullptr, false);
            if (!listed.ok() || !document.is_object()) return;
            const auto containers = document.value("containers", nlohmann::json::array());
            for (const auto& container : containers) {
                const std::string id = container.value("id", "");
                // Only our tenants': another daemon on the same engine keeps its own.
                const auto labels = container.value("labels", nlohmann::json::object());
                if (!engine_.has_tenant(labels.value("env-manager.task-tenant", ""))) continue;
                log("removing task container " + container.value("name", id) + " left by an earlier run");
                backend_.invoke("container.remove", {{"id", id}, {"force", true}, {"volumes", true}},
                                [](const sdk::Result&) {});
            }
        });
}

void TaskRunner::complete(const std::shared_ptr<Running>& running, const sdk::Result& result,
                          const char* what) {
    if (result.ok()) {
        auto document = nlohmann::json::parse(result.payload, nullptr, false);
        if (!document.is_object()) {
            running->finish(ENVMGR_STATUS_INTERNAL, nullptr, std::string(what) + ": unreadable result");
            return;
        }
        running->finish(ENVMGR_STATUS_OK, std::move(document), "");
        return;
    }
    running->finish(result.status, nullptr, result.payload);
}

}  // namespace envmgr::host::tasks
