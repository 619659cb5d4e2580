// An example frontend plugin: the daemon's event bus as a file of JSON lines, one per event
// ({"topic": ..., "event": {...}}), for a log shipper or a script to follow. A frontend
// exposes what the host knows; this one subscribes on start and unsubscribes on stop.
#include <envmgr/sdk/sdk.h>

#include <fstream>
#include <mutex>
#include <string>

namespace {

class EventLogFrontend : public envmgr::sdk::FrontendPlugin {
public:
    static constexpr const char* id = "frontend.example-event-log";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "Example: the event bus appended to a file as JSON lines";

    static const char* config_schema() {
        return R"({"path": {"type": "string", "default": "/run/env-manager/events.jsonl",
                            "description": "file the events are appended to"},
                   "topics": {"type": "string", "default": "health",
                              "description": "topic prefix to follow; empty: every topic"}})";
    }

    EventLogFrontend(const envmgr::sdk::Host& host, const nlohmann::json& config)
        : FrontendPlugin(host),
          path_(config.at("path").get<std::string>()),
          topics_(config.at("topics").get<std::string>()) {
        if (path_.empty()) throw envmgr::sdk::Error(ENVMGR_STATUS_INVALID, "path: required");
    }

    // Events arrive on a host thread, one at a time for this subscription; appending a line to
    // a local file is quick enough to do right there.
    void start() {
        out_.open(path_, std::ios::app);
        if (!out_) {
            throw envmgr::sdk::Error(ENVMGR_STATUS_INVALID, "path: cannot open " + path_ + " to append");
        }
        subscription_ = host().subscribe(topics_, [this](std::string_view topic, std::string_view event) {
            const nlohmann::json line{{"topic", topic},
                                      {"event", nlohmann::json::parse(event, nullptr, false)}};
            const std::lock_guard lock(mutex_);
            out_ << line.dump() << '\n' << std::flush;
        });
        if (subscription_.id() == 0) {
            throw envmgr::sdk::Error(ENVMGR_STATUS_UNSUPPORTED, "the host offers no events");
        }
        host().info("appending events of topics '" + topics_ + "*' to " + path_);
    }

    void stop(const envmgr::sdk::Completion& done) {
        subscription_.reset();  // no event is delivered after this returns
        done.ok();
    }

    std::string endpoint() const { return "file:" + path_; }

private:
    std::string path_;
    std::string topics_;
    std::mutex mutex_;
    std::ofstream out_;
    envmgr::sdk::Host::Subscription subscription_;
};

}  // namespace

ENVMGR_EXPORT_PLUGIN(EventLogFrontend)
