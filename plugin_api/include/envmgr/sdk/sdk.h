// The env-manager plugin SDK: everything a C++ plugin author includes.
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/async_call.h>
#include <envmgr/sdk/completion.h>
#include <envmgr/sdk/documents.h>
#include <envmgr/sdk/export.h>
#include <envmgr/sdk/host.h>
#include <envmgr/sdk/plugin.h>
#include <envmgr/sdk/plugin_config.h>
#include <envmgr/sdk/probe_params.h>
#include <envmgr/sdk/quote.h>
#include <envmgr/sdk/status.h>
