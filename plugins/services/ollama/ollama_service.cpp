#include "plugins/services/ollama/ollama_service.h"

#include "plugins/services/common/definition_document.h"

namespace envmgr::plugins::services::ollama {

const char* OllamaService::config_schema() {
    return R"json({
  "dev_dir": {"type": "string", "default": "/dev",
              "description": "where the GPU device files (nvidia0, nvidia1, ...) are looked for"},
  "proc_dir": {"type": "string", "default": "/proc",
               "description": "where the NVIDIA driver's entries (driver/nvidia/gpus) are looked for"},
  "nvidia_smi": {"type": "string", "default": "nvidia-smi",
                 "description": "nvidia-smi to ask for GPU names when installed; empty: never run"}
})json";
}

OllamaService::OllamaService(const sdk::Host& host, const nlohmann::json& config_json) : ServicePlugin(host) {
    const sdk::PluginConfig config(config_json, config_schema());
    GpuSources sources;
    sources.dev_dir = config.get<std::string>("dev_dir");
    sources.proc_dir = config.get<std::string>("proc_dir");
    sources.nvidia_smi = config.get<std::string>("nvidia_smi");
    gpus_ = detect_gpus(sources);
    if (gpus_.count > 0) {
        this->host().info("service.ollama: " + std::to_string(gpus_.count) + " NVIDIA GPU(s) found (" +
                          gpus_.evidence + "); Ollama will request them");
    } else {
        this->host().debug("service.ollama: no NVIDIA GPU found; Ollama runs on the CPU");
    }
}

std::vector<sdk::ServiceDefinition> OllamaService::definitions() {
    return common::definitions_from(R"([{
      "name": "ollama",
      "image": "ollama/ollama:latest",
      "ports": [{"container_port": 11434, "host_port": 11434}],
      "env": {"OLLAMA_HOST": "0.0.0.0:11434"},
      "mounts": [{"type": "volume", "source": "ollama_data", "target": "/root/.ollama"}],
      "readiness": {"type": "http", "port": 11434, "path": "/api/tags"},
      "optional": true,
      "gpu": "optional"
    }])");
}

nlohmann::json gpu_resolution(const nlohmann::json& definition, const DetectedGpus& gpus) {
    if (definition.value("gpu", "none") != "optional") return nlohmann::json::object();
    return {{"gpu", gpus.count > 0 ? "required" : "none"}};
}

envmgr_operation_id OllamaService::resolve(const std::string& /*service*/, const nlohmann::json& context,
                                           const sdk::Completion& done) {
    const envmgr_operation_id resolve_id = next_id_++;
    done.ok(gpu_resolution(context.value("definition", nlohmann::json::object()), gpus_).dump());
    return resolve_id;
}

}  // namespace envmgr::plugins::services::ollama
