// service.ollama: Ollama, optional, with the host's NVIDIA GPUs when it has any. The GPUs are
// looked for once, when the plugin is created (a GPU added later needs a daemon restart).
#pragma once

#include "plugins/services/ollama/gpu_detection.h"

#include <envmgr/sdk/sdk.h>

#include <atomic>
#include <string>
#include <vector>

namespace envmgr::plugins::services::ollama {

class OllamaService : public sdk::ServicePlugin {
public:
    static constexpr const char* id = "service.ollama";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description =
        "Ollama, local models; uses the host's NVIDIA GPUs when present";

    static const char* config_schema();

    OllamaService(const sdk::Host& host, const nlohmann::json& config);

    std::vector<sdk::ServiceDefinition> definitions();
    // gpu "optional" becomes "required" when GPUs were found and "none" otherwise; an operator's
    // "none" or "required" is left as it is.
    envmgr_operation_id resolve(const std::string& service, const nlohmann::json& context,
                                const sdk::Completion& done);
    void cancel(envmgr_operation_id /*id*/) {}

    [[nodiscard]] const DetectedGpus& gpus() const noexcept { return gpus_; }

private:
    DetectedGpus gpus_;
    std::atomic<envmgr_operation_id> next_id_{1};
};

// The resolve result for a definition's gpu field, given what was found. Pure.
nlohmann::json gpu_resolution(const nlohmann::json& definition, const DetectedGpus& gpus);

}  // namespace envmgr::plugins::services::ollama
