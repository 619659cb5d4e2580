// Builds the registry as the daemon does, from the real service plugins' classes (through the
// SDK's fake host, not the ABI) and a TOML text, for the registry's unit tests.
#pragma once

#include "host/config/config_loader.h"
#include "host/registry/service_registry.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace envmgr::tests {

struct BuiltRegistry {
    host::config::LoadResult loaded;
    host::registry::Registry registry;
    std::string config_path;

    // Every error as text, one per line, for EXPECT_THAT with HasSubstr.
    [[nodiscard]] std::string errors_text() const;
    [[nodiscard]] const host::registry::EffectiveService& service(const std::string& tenant,
                                                                  const std::string& name) const;
};

struct RegistryOptions {
    std::map<std::string, std::string> environment;
    bool host_has_gpus = false;  // the Ollama plugin looks at a fake /dev holding nvidia0 or not
};

BuiltRegistry build_registry_from(const std::string& toml, const RegistryOptions& options = {});

}  // namespace envmgr::tests
