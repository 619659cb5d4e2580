// Typed C++ structs, with JSON conversion, for the documents that cross the ABI.
#pragma once

#include <envmgr/sdk/documents/container_document.h>
#include <envmgr/sdk/documents/container_spec.h>
#include <envmgr/sdk/documents/document_fields.h>
#include <envmgr/sdk/documents/manager_documents.h>
#include <envmgr/sdk/documents/probe.h>
#include <envmgr/sdk/documents/read_document.h>
#include <envmgr/sdk/documents/service_definition.h>
#include <envmgr/sdk/documents/status_snapshot.h>
