#include "host/tasks/task_runner.h"

#include <chrono>
#include <mutex>

namespace envmgr::host::tasks {
namespace {

constexpr std::size_t kOutputLimit = 1U << 20U;  // the backend's bound per stream
constexpr const char* kTruncatedMark = "\n[output truncated at 1 MiB]\n";

// The backend flags truncation for both streams at once; the one that reached the bound is it.
void mark_truncation(nlohmann::json& result) {
    if (!result.value("truncated", false)) return;
    for (const char* stream : {"stdout", "stderr"}) {
        auto& text = result[stream];
        if (text.is_string() && text.get_ref<const std::string&>().size() >= kOutputLimit) {
            text = text.get<std::string>() + kTruncatedMark;
        }
    }
}

}  // namespace

struct TaskRunner::Running {
    Task task;
    Done done;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    WorkloadSlots* slots = nullptr;
    std::mutex mutex;
    std::uint64_t work = 0;  // the backend operation in flight
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
            mark_truncation(result);
            result["latency_ms"] =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        }
        callback(status, result, message);
    }

    // Records the backend operation so that a cancel reaches it.
    void track(std::uint64_t id) {
        const std::lock_guard lock(mutex);
        work = id;
    }
};

TaskRunner::TaskRunner(scheduler::LifecycleEngine& engine, scheduler::BackendClient& backend,
                       TaskSettings settings)
    : engine_(engine), backend_(backend), settings_(std::move(settings)), slots_(settings_.capacity) {}

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
        running->track(backend_.invoke("container.exec", request, [running](const sdk::Result& result) {
            complete(running, result, "exec");
        }));
    });
}

void TaskRunner::in_image(const std::shared_ptr<Running>& running) {
    auto& backend = backend_;
    const std::string image = running->task.payload.image;
    running->track(
        backend.invoke("image.inspect", {{"image", image}}, [this, running, image](const sdk::Result& found) {
            if (found.status != ENVMGR_STATUS_NOT_FOUND) return run_throwaway(running);
            running->track(backend_.invoke(
                "image.pull", {{"image", image}}, [this, running, image](const sdk::Result& pulled) {
                    if (!pulled.ok()) {
                        running->finish(pulled.status == ENVMGR_STATUS_NOT_FOUND ? ENVMGR_STATUS_NOT_FOUND
                                                                                 : pulled.status,
                                        nullptr,
                                        "payload.image: pull of " + image + " failed: " + pulled.payload);
                        return;
                    }
                    run_throwaway(running);
                }));
        }));
}

void TaskRunner::run_throwaway(const std::shared_ptr<Running>& running) {
    {
        const std::lock_guard lock(running->mutex);
        if (running->cancelled) return running->finish(ENVMGR_STATUS_CANCELLED, nullptr, "cancelled");
    }
    const auto& task = running->task;
    // Labelled as a task, not as a service: adoption never takes it for one.
    nlohmann::json spec{{"image", task.payload.image},
                        {"command", task.payload.argv},
                        {"env", task.payload.env},
                        {"labels",
                         {{"env-manager.task", task.task_id.empty() ? "-" : task.task_id},
                          {"env-manager.task-tenant", task.tenant}}}};
    nlohmann::json request{{"spec", spec}, {"timeout_ms", running->timeout_ms()}};
    if (!task.payload.workdir.empty()) request["workdir"] = task.payload.workdir;
    if (task.payload.stdin_data) request["stdin"] = *task.payload.stdin_data;
    running->track(backend_.invoke("container.run", request, [running](const sdk::Result& result) {
        complete(running, result, "container");
    }));
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
