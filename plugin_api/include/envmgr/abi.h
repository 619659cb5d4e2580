/*
 * env-manager plugin ABI.
 *
 * The whole contract between the env-manager host and its plugins. Pure C99,
 * standard headers only, so that any toolchain can build a plugin.
 *
 * Rules that hold for every item below unless the item says otherwise:
 *  - Only C types cross. No exception crosses: a C++ implementation catches
 *    everything at the boundary and reports a status instead.
 *  - Ownership: whoever allocates frees. Strings are UTF-8, NUL-terminated and
 *    BORROWED: valid only for the duration of the call or callback that
 *    receives them; copy what you keep.
 *  - Structured data crosses as JSON documents, specified field by field in
 *    plugin_api/docs/.
 *  - Threading: the host never overlaps calls on one plugin instance, except
 *    where an item is marked "Threading: any thread, concurrently". Host API
 *    functions may be called from any thread.
 *  - Long operations are asynchronous: the call takes an envmgr_callbacks,
 *    returns an operation id at once, and later runs on_complete EXACTLY ONCE
 *    (from any thread, possibly before the starting call returns). Streaming
 *    operations run on_item zero or more times before on_complete. Every
 *    operation can be cancelled by id; it then completes with
 *    ENVMGR_STATUS_CANCELLED (unless it had already completed).
 *  - Compatibility: every struct starts with its own size. Fields are only
 *    appended, never reordered or retyped. A reader reads the smaller of the
 *    two sizes and treats the missing tail as zero/NULL.
 *
 * Each item is documented with: Required, Ownership, Threading, Since (the ABI
 * minor that introduced it) and what its return values mean.
 */
#ifndef ENVMGR_ABI_H
#define ENVMGR_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- versions ------------------------------------------------------------ */

/* A different major is refused by the host; a plugin's minor must be <= the
 * host's minor. Since: 1.0 */
#define ENVMGR_ABI_VERSION_MAJOR 1
#define ENVMGR_ABI_VERSION_MINOR 0

/* The one symbol every plugin library exports (see envmgr_plugin_entry_fn).
 * Since: 1.0 */
#define ENVMGR_PLUGIN_ENTRY_SYMBOL "envmgr_plugin_entry"

/* Size of the error buffer the host passes to create/start. Since: 1.0 */
#define ENVMGR_ERROR_BUFFER_SIZE 1024

/* ---- status codes -------------------------------------------------------- */

/* Outcome of a call or operation. Values are stable. Since: 1.0 */
typedef enum envmgr_status {
    ENVMGR_STATUS_OK = 0,
    ENVMGR_STATUS_NOT_FOUND = 1,   /* the named object does not exist */
    ENVMGR_STATUS_CONFLICT = 2,    /* exists already / wrong state */
    ENVMGR_STATUS_UNAVAILABLE = 3, /* peer or engine unreachable; retry later */
    ENVMGR_STATUS_INVALID = 4,     /* bad argument or document */
    ENVMGR_STATUS_INTERNAL = 5,    /* a bug or an unexpected failure */
    ENVMGR_STATUS_CANCELLED = 6,   /* cancelled by the caller */
    ENVMGR_STATUS_TIMEOUT = 7,     /* the operation's deadline passed */
    ENVMGR_STATUS_UNSUPPORTED = 8  /* operation not implemented by callee */
} envmgr_status;

/* ---- plugin kinds -------------------------------------------------------- */

/* Which per-kind table envmgr_plugin_descriptor.kind_api points to.
 * Since: 1.0 */
typedef enum envmgr_plugin_kind {
    ENVMGR_PLUGIN_KIND_SERVICE = 1, /* envmgr_service_api */
    ENVMGR_PLUGIN_KIND_PROBE = 2,   /* envmgr_probe_api */
    ENVMGR_PLUGIN_KIND_BACKEND = 3, /* envmgr_backend_api */
    ENVMGR_PLUGIN_KIND_FRONTEND = 4 /* envmgr_frontend_api */
} envmgr_plugin_kind;

/* Since: 1.0 */
typedef enum envmgr_log_level {
    ENVMGR_LOG_LEVEL_TRACE = 0,
    ENVMGR_LOG_LEVEL_DEBUG = 1,
    ENVMGR_LOG_LEVEL_INFO = 2,
    ENVMGR_LOG_LEVEL_WARN = 3,
    ENVMGR_LOG_LEVEL_ERROR = 4
} envmgr_log_level;

/* ---- opaque handles ------------------------------------------------------ */

/* A plugin instance, made by create and released by destroy. The host never
 * looks inside. Since: 1.0 */
typedef struct envmgr_plugin_instance envmgr_plugin_instance;

/* The host's per-plugin context, passed back to every host API function.
 * The plugin never looks inside. Since: 1.0 */
typedef struct envmgr_host_context envmgr_host_context;

/* Identifies an in-flight asynchronous operation for cancellation. 0 means
 * "no operation" (e.g. it completed during the starting call). Ids are unique
 * per callee for the lifetime of the callee. Since: 1.0 */
typedef uint64_t envmgr_operation_id;

/* ---- asynchronous completion --------------------------------------------- */

/* One item of a streaming operation.
 * Ownership: item_json is borrowed for the duration of the callback.
 * Threading: any thread, never concurrently for one operation. Since: 1.0 */
typedef void (*envmgr_item_fn)(void* user_data, const char* item_json);

/* The end of an operation; runs exactly once per operation.
 * status OK: payload is the result JSON document (may be NULL: no result).
 * Any other status: payload is a human-readable error message (may be NULL).
 * Ownership: payload is borrowed for the duration of the callback; user_data
 * is the caller's and may be freed by this callback.
 * Threading: any thread; after the last on_item of the same operation.
 * Since: 1.0 */
typedef void (*envmgr_complete_fn)(void* user_data, envmgr_status status, const char* payload);

/* What a caller hands to an asynchronous call.
 * Ownership: the struct itself is borrowed for the duration of the starting
 * call only; the callee copies the fields it keeps. Since: 1.0 */
typedef struct envmgr_callbacks {
    uint32_t struct_size;           /* sizeof(envmgr_callbacks) of the caller */
    void* user_data;                /* passed back unchanged */
    envmgr_item_fn on_item;         /* Required: no (NULL for non-streaming calls) */
    envmgr_complete_fn on_complete; /* Required: yes */
} envmgr_callbacks;

/* ---- host API ------------------------------------------------------------ */

/* One label of a metric sample. Ownership: borrowed. Since: 1.0 */
typedef struct envmgr_metric_label {
    const char* name;
    const char* value;
} envmgr_metric_label;

/* How a metric sample is applied. Since: 1.0 */
typedef enum envmgr_metric_kind {
    ENVMGR_METRIC_KIND_COUNTER_ADD = 1,      /* counter += value (>= 0) */
    ENVMGR_METRIC_KIND_GAUGE_SET = 2,        /* gauge = value */
    ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE = 3 /* histogram observes value */
} envmgr_metric_kind;

/* A metric sample reported to the host registry. The family is created on
 * first use; later samples with the same name must use the same kind and
 * label names. Ownership: everything borrowed for the call. Since: 1.0 */
typedef struct envmgr_metric_sample {
    uint32_t struct_size;
    envmgr_metric_kind kind;
    const char* name;                  /* Prometheus metric name, e.g. docker_api_duration_seconds */
    const char* help;                  /* one line; used when the family is first created */
    const envmgr_metric_label* labels; /* may be NULL when label_count is 0 */
    size_t label_count;
    double value;
} envmgr_metric_sample;

/* Events a frontend subscribes to. Ownership: event_json borrowed.
 * Threading: any thread; events of one subscription never overlap.
 * Since: 1.0 */
typedef void (*envmgr_event_fn)(void* user_data, const char* topic, const char* event_json);

/* The table the host hands to every plugin at create. Valid until the
 * instance is destroyed. Every function takes the ctx field of this table.
 * Threading: every function may be called from any thread, concurrently.
 * Functions a plugin's kind has no use for may be NULL or return
 * ENVMGR_STATUS_UNSUPPORTED through the completion. Since: 1.0 */
typedef struct envmgr_host_api {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    envmgr_host_context* ctx;

    /* Writes one log line attributed to the plugin. Required: yes.
     * Ownership: message borrowed. */
    void (*log)(envmgr_host_context* ctx, envmgr_log_level level, const char* message);

    /* Runs fn(user_data) on the host's executor, not inside this call.
     * Required: yes. Ownership: user_data stays the plugin's. */
    void (*post)(envmgr_host_context* ctx, void (*fn)(void* user_data), void* user_data);

    /* Records a metric sample. Required: yes. Returns OK, or INVALID when
     * the sample disagrees with the family's kind or labels. */
    envmgr_status (*record_metric)(envmgr_host_context* ctx, const envmgr_metric_sample* sample);

    /* Calls an operation of the active backend (see envmgr_backend_api.invoke
     * and plugin_api/docs/backend-operations.md); for probes that exec in or
     * inspect a container. Required: yes (completes with UNAVAILABLE when no
     * backend is loaded). */
    envmgr_operation_id (*backend_invoke)(envmgr_host_context* ctx, const char* operation,
                                          const char* request_json, const envmgr_callbacks* callbacks);
    /* Required: yes. Unknown or finished ids are ignored. */
    void (*backend_cancel)(envmgr_host_context* ctx, envmgr_operation_id id);

    /* Calls a manager operation (start/stop/status/...; see
     * plugin_api/docs/manager-operations.md); for frontends. Required: yes
     * (completes with UNSUPPORTED for operations the host lacks). */
    envmgr_operation_id (*manager_invoke)(envmgr_host_context* ctx, const char* operation,
                                          const char* request_json, const envmgr_callbacks* callbacks);
    /* Required: yes. Unknown or finished ids are ignored. */
    void (*manager_cancel)(envmgr_host_context* ctx, envmgr_operation_id id);

    /* Subscribes to the event bus. topic_prefix "" matches every topic
     * ("status", "health", "progress", ...). A slow subscriber loses the
     * oldest events, never blocks the host. Returns a subscription id > 0, or
     * 0 when subscriptions are unsupported. Required: yes. */
    uint64_t (*subscribe)(envmgr_host_context* ctx, const char* topic_prefix, envmgr_event_fn on_event,
                          void* user_data);
    /* After it returns, on_event of that subscription is not running and
     * will not run again. Required: yes. */
    void (*unsubscribe)(envmgr_host_context* ctx, uint64_t subscription_id);
} envmgr_host_api;

/* ---- per-kind function tables -------------------------------------------- */

/* Service plugins contribute service definitions. Since: 1.0 */
typedef struct envmgr_service_api {
    uint32_t struct_size;

    /* A JSON array of service definitions (docs/service-definition.md).
     * Required: yes. Ownership: plugin-owned, valid until destroy.
     * Returns NULL only on failure (then the plugin is refused). */
    const char* (*definitions)(envmgr_plugin_instance* self);

    /* Computes the parts of one definition that are only known at start (GPU
     * requests, a router's node list). context_json: docs/service-definition.md
     * ("Resolve context"); the result is a JSON object merged over the definition.
     * Required: no (NULL: the definition is used as it is). */
    envmgr_operation_id (*resolve)(envmgr_plugin_instance* self, const char* service_name,
                                   const char* context_json, const envmgr_callbacks* callbacks);
    /* Required: yes when resolve is set. */
    void (*cancel)(envmgr_plugin_instance* self, envmgr_operation_id id);
} envmgr_service_api;

/* Probe plugins check one kind of readiness each. Since: 1.0 */
typedef struct envmgr_probe_api {
    uint32_t struct_size;

    /* The probe type this plugin handles, e.g. "tcp", "http", "exec".
     * Required: yes. Ownership: plugin-owned, static. */
    const char* probe_type;

    /* Runs one check. spec_json: docs/probe.md (spec); the result payload is
     * a probe result (docs/probe.md). A failed check is status OK with
     * "healthy": false; a non-OK status means the probe could not run.
     * Required: yes. Threading: any thread, concurrently. */
    envmgr_operation_id (*check)(envmgr_plugin_instance* self, const char* spec_json,
                                 const envmgr_callbacks* callbacks);
    /* Required: yes. Threading: any thread, concurrently. */
    void (*cancel)(envmgr_plugin_instance* self, envmgr_operation_id id);
} envmgr_probe_api;

/* Backend plugins drive a container engine. Operations are named and take and
 * return JSON (docs/backend-operations.md), so new ones need no new ABI item;
 * a backend completes unknown operations with ENVMGR_STATUS_UNSUPPORTED.
 * Since: 1.0 */
typedef struct envmgr_backend_api {
    uint32_t struct_size;

    /* Required: yes. Threading: any thread, concurrently. */
    envmgr_operation_id (*invoke)(envmgr_plugin_instance* self, const char* operation,
                                  const char* request_json, const envmgr_callbacks* callbacks);
    /* Required: yes. Threading: any thread, concurrently. */
    void (*cancel)(envmgr_plugin_instance* self, envmgr_operation_id id);
} envmgr_backend_api;

/* Frontend plugins expose an API surface; they serve from start until stop
 * (envmgr_plugin_descriptor) and reach the host through the host API.
 * Since: 1.0 */
typedef struct envmgr_frontend_api {
    uint32_t struct_size;

    /* Where the frontend listens, for the start-up log, e.g.
     * "grpc://0.0.0.0:50100". Required: no. Ownership: plugin-owned, valid
     * until destroy. */
    const char* (*endpoint)(envmgr_plugin_instance* self);
} envmgr_frontend_api;

/* ---- the descriptor and the entry point ---------------------------------- */

/* Describes one plugin. Ownership: plugin-owned, static, valid while the
 * library is loaded. Since: 1.0 */
typedef struct envmgr_plugin_descriptor {
    uint32_t struct_size; /* sizeof(envmgr_plugin_descriptor) of the plugin */
    uint16_t abi_major;   /* ENVMGR_ABI_VERSION_MAJOR the plugin was built with */
    uint16_t abi_minor;   /* lowest host minor the plugin needs */
    envmgr_plugin_kind kind;
    const char* id;          /* dotted, category first: "backend.docker" */
    const char* version;     /* the plugin's own version, e.g. "1.2.0" */
    const char* description; /* one line */

    /* JSON object describing the plugin's configuration keys, each
     * {"type": "string"|"integer"|"number"|"boolean"|"array"|"table",
     *  "default": ..., "description": "..."} (docs/plugin-config.md).
     * The host validates [plugins."<id>"] against it. Required: no (NULL: the
     * plugin takes no configuration and any key is an error). */
    const char* config_schema_json;

    /* Makes an instance. config_json: the plugin's configuration as a JSON
     * object (defaults applied). On failure returns non-OK, leaves *out NULL
     * and writes a NUL-terminated reason into error (host-owned, error_size
     * bytes). Required: yes. Ownership: host_api is valid until destroy. */
    envmgr_status (*create)(const envmgr_host_api* host_api, const char* config_json,
                            envmgr_plugin_instance** out, char* error, size_t error_size);

    /* Releases an instance. The host calls it after stop completed or its
     * bound passed (or, when start failed, without stop): the plugin cancels
     * and completes whatever is still in flight, and may not call the host
     * API after it returns. Required: yes. */
    void (*destroy)(envmgr_plugin_instance* self);

    /* Begins serving (frontends listen, backends connect). Called once after
     * every plugin was created. Failure is reported like create's.
     * Required: no. */
    envmgr_status (*start)(envmgr_plugin_instance* self, char* error, size_t error_size);

    /* Stops serving and finishes or cancels in-flight work, completing
     * callbacks->on_complete once when done. The host waits a bounded time,
     * then destroys the instance regardless. Required: no. */
    void (*stop)(envmgr_plugin_instance* self, const envmgr_callbacks* callbacks);

    /* The per-kind table: envmgr_service_api, envmgr_probe_api,
     * envmgr_backend_api or envmgr_frontend_api, by kind. Held by pointer so
     * that it can grow. Required: yes. Ownership: plugin-owned, static. */
    const void* kind_api;
} envmgr_plugin_descriptor;

/* The exported entry point, named ENVMGR_PLUGIN_ENTRY_SYMBOL. The host passes
 * its own ABI version so that a plugin may adapt; the plugin returns its
 * descriptor, or NULL when it cannot work with this host.
 * Required: yes. Threading: called once, before anything else.
 * Since: 1.0 */
typedef const envmgr_plugin_descriptor* (*envmgr_plugin_entry_fn)(uint16_t host_abi_major,
                                                                  uint16_t host_abi_minor);

#ifdef __cplusplus
}
#endif

#endif /* ENVMGR_ABI_H */
