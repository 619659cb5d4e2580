// The daemon's exit codes, shared by main and the runtime.
#pragma once

namespace envmgr::host::runtime {

constexpr int kExitOk = 0;
constexpr int kExitFatal = 1;
constexpr int kExitConfigError = 2;  // the configuration (or a plugin's settings) is wrong

}  // namespace envmgr::host::runtime
