/*
 * env-manager plugin ABI.
 *
 * The whole contract between the env-manager host and its plugins. Pure C99,
 * standard headers only, so that any toolchain can build a plugin.
 *
 * Rules that hold for every item below unless the item says otherwise:
 *  - Only C types cross. No exception crosses: a C++ implementation catches
 *    everything at the boundary and reports a status instead. Every host
 *    function catches everything; none throws into a plugin.
 *  - Ownership: whoever allocates frees. Strings are UTF-8, NUL-terminated and
 *    BORROWED: valid only for the duration of the call or callback that
 *    receives them; copy what you keep.
 *  - Structured data crosses as JSON documents, specified field by field in
 *    plugin_api/docs/. A NULL request document means "{}" (no fields).
 *  - Fixed-width types only: statuses, kinds and levels are int32_t values
 *    named by the constants below (a C enum's size depends on the compiler,
 *    e.g. -fshort-enums). A reader that meets a status it does not know treats
 *    it as ENVMGR_STATUS_INTERNAL; an unknown kind or level is refused/ignored.
 *  - Threading: the host never overlaps calls on one plugin instance, except
 *    where an item is marked "Threading: any thread, concurrently". Host API
 *    functions may be called from any thread, concurrently.
 *  - Long operations are asynchronous: the call takes an envmgr_callbacks,
 *    returns an operation id at once, and later runs on_complete EXACTLY ONCE
 *    (from any thread, possibly before the starting call returns). Streaming
 *    operations run on_item zero or more times before on_complete; no on_item
 *    follows on_complete. Every operation can be cancelled by id; it then
 *    completes with ENVMGR_STATUS_CANCELLED (unless it had already completed),
 *    possibly synchronously, inside the cancel call.
 *  - Callbacks (on_item, on_complete, on_event, posted functions) must not
 *    block; they may call back into the same plugin and the host (invoke and
 *    cancel included). A callee runs callbacks without holding any lock that
 *    such a call back could need (the C++ SDK guarantees this).
 *  - Compatibility: every struct starts with its own size. Fields are only
 *    appended, never reordered or retyped. A reader reads the smaller of the
 *    two sizes and treats the missing tail as zero/NULL. Frozen across every
 *    major version: the first three fields of envmgr_plugin_descriptor
 *    (struct_size, abi_major, abi_minor), the entry point's name and
 *    signature; the host reads nothing else of a descriptor of another major.
 *
 * Lifetimes (what the host guarantees around create, stop and destroy):
 *  - The host calls destroy on a host thread: never on a plugin's own thread,
 *    never from inside a call or callback of that plugin, and only after stop
 *    has completed (or when stop is NULL, or start failed or never ran).
 *  - When stop does not complete within the host's bound, the host never
 *    calls destroy for that instance: it is abandoned (its memory and library
 *    stay until the process exits) and its outgoing calls end as below.
 *  - Before destroy (or abandonment) the host ends what the plugin started
 *    through the host API: it cancels the plugin's backend and manager
 *    operations still in flight and waits, within a bound, for their
 *    completions, which are delivered to the plugin as usual; it drops work
 *    the plugin posted that has not run (it never runs after); it ends the
 *    plugin's subscriptions. A completion that arrives after that is dropped by
 *    the host, never delivered (its user_data is then not released).
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
 * host's minor. Since: 1.0 (the minor is 1 since 1.1) */
#define ENVMGR_ABI_VERSION_MAJOR 1
#define ENVMGR_ABI_VERSION_MINOR 1

/* The one symbol every plugin library exports (see envmgr_plugin_entry_fn).
 * It is the only symbol a plugin library exports. Since: 1.0 */
#define ENVMGR_PLUGIN_ENTRY_SYMBOL "envmgr_plugin_entry"

/* Size of the error buffer the host passes to create/start. Since: 1.0 */
#define ENVMGR_ERROR_BUFFER_SIZE 1024

/* ---- status codes -------------------------------------------------------- */

/* Outcome of a call or operation: one of the ENVMGR_STATUS_* values, which
 * are stable. An unknown value is read as ENVMGR_STATUS_INTERNAL.
 * Since: 1.0 (an enum type in 1.0, of the same size on every supported
 * compiler; int32_t since 1.1) */
typedef int32_t envmgr_status;
enum envmgr_status_values {
    ENVMGR_STATUS_OK = 0,
    ENVMGR_STATUS_NOT_FOUND = 1,   /* the named object does not exist */
    ENVMGR_STATUS_CONFLICT = 2,    /* exists already / wrong state */
    ENVMGR_STATUS_UNAVAILABLE = 3, /* peer or engine unreachable; retry later */
    ENVMGR_STATUS_INVALID = 4,     /* bad argument or document */
    ENVMGR_STATUS_INTERNAL = 5,    /* a bug or an unexpected failure */
    ENVMGR_STATUS_CANCELLED = 6,   /* cancelled by the caller */
    ENVMGR_STATUS_TIMEOUT = 7,     /* the operation's deadline passed */
    ENVMGR_STATUS_UNSUPPORTED = 8  /* operation not implemented by callee */
};

/* ---- plugin kinds -------------------------------------------------------- */

/* Which per-kind table envmgr_plugin_descriptor.kind_api points to: one of
 * the ENVMGR_PLUGIN_KIND_* values. Since: 1.0 (int32_t since 1.1) */
typedef int32_t envmgr_plugin_kind;
enum envmgr_plugin_kind_values {
    ENVMGR_PLUGIN_KIND_SERVICE = 1, /* envmgr_service_api */
    ENVMGR_PLUGIN_KIND_PROBE = 2,   /* envmgr_probe_api */
    ENVMGR_PLUGIN_KIND_BACKEND = 3, /* envmgr_backend_api */
    ENVMGR_PLUGIN_KIND_FRONTEND = 4 /* envmgr_frontend_api */
};

/* One of the ENVMGR_LOG_LEVEL_* values; an unknown level logs as ERROR.
 * Since: 1.0 (int32_t since 1.1) */
typedef int32_t envmgr_log_level;
enum envmgr_log_level_values {
    ENVMGR_LOG_LEVEL_TRACE = 0,
    ENVMGR_LOG_LEVEL_DEBUG = 1,
    ENVMGR_LOG_LEVEL_INFO = 2,
    ENVMGR_LOG_LEVEL_WARN = 3,
    ENVMGR_LOG_LEVEL_ERROR = 4
};

/* Bits of envmgr_plugin_descriptor.flags. Since: 1.1 */
enum envmgr_plugin_flag_values {
    /* The library must never be unloaded, not even at exit (it registers
     * process-wide state: gRPC, protobuf). */
    ENVMGR_PLUGIN_FLAG_NEVER_UNLOAD = 1
};

/* ---- opaque handles ------------------------------------------------------ */

/* A plugin instance, made by create and released by destroy. The host never
 * looks inside. Since: 1.0 */
typedef struct envmgr_plugin_instance envmgr_plugin_instance;

/* The host's per-plugin context, passed back to every host API function.
 * The plugin never looks inside. Since: 1.0 */
typedef struct envmgr_host_context envmgr_host_context;

/* Identifies an in-flight asynchronous operation for cancellation. 0 means
 * "no operation" (it completed during the starting call, or was refused).
 * Ids are unique per callee for the lifetime of the callee. Since: 1.0 */
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

/* What a caller hands to an asynchronous call. A NULL pointer, a struct_size
 * too small to hold on_complete, or a NULL on_complete is refused at once:
 * the call returns 0 and runs nothing (there is nothing to complete).
 * Ownership: the struct itself is borrowed for the duration of the starting
 * call only; the callee copies the fields it keeps. Since: 1.0 */
typedef struct envmgr_callbacks {
    uint32_t struct_size;           /* sizeof(envmgr_callbacks) of the caller */
    void* user_data;                /* passed back unchanged */
    envmgr_item_fn on_item;         /* Required: no (NULL for non-streaming calls) */
    envmgr_complete_fn on_complete; /* Required: yes */
} envmgr_callbacks;

/* ---- host API ------------------------------------------------------------ */

/* One label of a metric sample. FROZEN: an array element without a size, so
 * it can never grow; a richer label would be a new struct. Ownership:
 * borrowed. Since: 1.0 */
typedef struct envmgr_metric_label {
    const char* name;
    const char* value;
} envmgr_metric_label;

/* How a metric sample is applied: one of the ENVMGR_METRIC_KIND_* values.
 * Since: 1.0 (int32_t since 1.1) */
typedef int32_t envmgr_metric_kind;
enum envmgr_metric_kind_values {
    ENVMGR_METRIC_KIND_COUNTER_ADD = 1,      /* counter += value (>= 0) */
    ENVMGR_METRIC_KIND_GAUGE_SET = 2,        /* gauge = value */
    ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE = 3 /* histogram observes value */
};

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

/* Events a frontend subscribes to. topic is "status", "health", "progress",
 * "log", or "dropped" (see envmgr_subscription_options.flags); event_json is
 * specified in plugin_api/docs/events.md.
 * Ownership: topic and event_json borrowed.
 * Threading: a host io thread; events of one subscription never overlap and
 * arrive in the order they were published. Since: 1.0 */
typedef void (*envmgr_event_fn)(void* user_data, const char* topic, const char* event_json);

/* Bits of envmgr_subscription_options.flags. Since: 1.1 */
enum envmgr_subscription_flag_values {
    /* After events were lost (the queue was full), the next delivery is an
     * event of topic "dropped", {"dropped": N}, N the events lost since the
     * last such report; the events that follow it are the newest ones. */
    ENVMGR_SUBSCRIPTION_REPORT_DROPPED = 1
};

/* How a subscription behaves. Ownership: borrowed for the subscribe call.
 * Since: 1.1 */
typedef struct envmgr_subscription_options {
    uint32_t struct_size;
    /* Events held for a subscriber that is behind; when full, the OLDEST held
     * event is dropped (and counted). 0: the host's default, 1024. */
    uint32_t queue_depth;
    /* Topics starting with this prefix; NULL or "": every topic. */
    const char* topic_prefix;
    /* ENVMGR_SUBSCRIPTION_* bits. */
    uint32_t flags;
} envmgr_subscription_options;

/* Receives text in pieces (not NUL-terminated): text[0..length).
 * Ownership: text borrowed for the callback. Since: 1.1 */
typedef void (*envmgr_text_fn)(void* user_data, const char* text, size_t length);

/* The table the host hands to every plugin at create. Valid until the
 * instance is destroyed (or abandoned). Every function takes the ctx field of
 * this table.
 * Required: the host fills every function its table's struct_size covers; a
 * function the plugin's kind has no use for still answers (UNSUPPORTED, or 0).
 * A plugin reading the table of an older host (a smaller struct_size) treats
 * the missing functions as NULL and must not call them (the SDK reports
 * UNSUPPORTED for them).
 * Threading: every function may be called from any thread, concurrently,
 * including from inside the plugin's own callbacks. Since: 1.0 */
typedef struct envmgr_host_api {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    envmgr_host_context* ctx;

    /* Writes one log line attributed to the plugin. Ownership: message
     * borrowed. Since: 1.0 */
    void (*log)(envmgr_host_context* ctx, envmgr_log_level level, const char* message);

    /* Runs fn(user_data) on a host io thread, never inside this call. Work not
     * yet run when the plugin is being destroyed is dropped, never run (the
     * plugin frees its user_data in destroy). Ownership: user_data stays the
     * plugin's. Since: 1.0 */
    void (*post)(envmgr_host_context* ctx, void (*fn)(void* user_data), void* user_data);

    /* Records a metric sample. Returns OK, or INVALID when the sample disagrees
     * with the family's kind or labels. Since: 1.0 */
    envmgr_status (*record_metric)(envmgr_host_context* ctx, const envmgr_metric_sample* sample);

    /* Calls an operation of the active backend (see envmgr_backend_api.invoke
     * and plugin_api/docs/backend-operations.md); for probes that exec in or
     * inspect a container. Completes with UNAVAILABLE when no backend is
     * loaded. The host tracks the operation for the plugin (see Lifetimes).
     * Returns the id for backend_cancel, or 0 (completed already, or refused
     * callbacks). Since: 1.0 */
    envmgr_operation_id (*backend_invoke)(envmgr_host_context* ctx, const char* operation,
                                          const char* request_json, const envmgr_callbacks* callbacks);
    /* Unknown or finished ids are ignored. Since: 1.0 */
    void (*backend_cancel)(envmgr_host_context* ctx, envmgr_operation_id id);

    /* Calls a manager operation (start/stop/status/...; see
     * plugin_api/docs/manager-operations.md); for frontends. Completes with
     * UNSUPPORTED for operations the host lacks. Tracked like backend_invoke.
     * Since: 1.0 */
    envmgr_operation_id (*manager_invoke)(envmgr_host_context* ctx, const char* operation,
                                          const char* request_json, const envmgr_callbacks* callbacks);
    /* Unknown or finished ids are ignored. Since: 1.0 */
    void (*manager_cancel)(envmgr_host_context* ctx, envmgr_operation_id id);

    /* Subscribes to the event bus with the default options (queue of 1024,
     * losses reported as "dropped" events). topic_prefix NULL or "" matches
     * every topic. Returns a subscription id > 0, or 0 when on_event is NULL.
     * Since: 1.0 */
    uint64_t (*subscribe)(envmgr_host_context* ctx, const char* topic_prefix, envmgr_event_fn on_event,
                          void* user_data);
    /* Ends a subscription. From another thread: when it returns, on_event of
     * that subscription is not running and will not run again. From inside
     * that subscription's own on_event: returns at once (it does not wait for
     * itself), and no event follows the running one. Unknown ids are ignored.
     * Since: 1.0 */
    void (*unsubscribe)(envmgr_host_context* ctx, uint64_t subscription_id);

    /* Subscribes with explicit options (NULL: the defaults). 1,000
     * subscriptions at once are a supported load: publishing costs the host
     * one queue push per matching subscription, and a slow subscriber only
     * loses its own oldest events. Returns a subscription id > 0, or 0 when
     * on_event is NULL or the options are unreadable. Since: 1.1 */
    uint64_t (*subscribe_with)(envmgr_host_context* ctx, const envmgr_subscription_options* options,
                               envmgr_event_fn on_event, void* user_data);

    /* Renders the host's metric registry, synchronously, through write (called
     * one or more times before this returns). format: "prometheus" (the text
     * exposition format 0.0.4) or "json" (the same families and values,
     * docs/metrics-json.md). Returns OK, or INVALID for an unknown format
     * or a NULL write. For the metrics frontend, which cannot link the host's
     * registry. Since: 1.1 ("json" was added within 1.1: a host that does not
     * know it answers INVALID) */
    envmgr_status (*render_metrics)(envmgr_host_context* ctx, const char* format, envmgr_text_fn write,
                                    void* user_data);
} envmgr_host_api;

/* ---- per-kind function tables -------------------------------------------- */

/* Service plugins contribute service definitions. Since: 1.0 */
typedef struct envmgr_service_api {
    uint32_t struct_size;

    /* A JSON array of service definitions (docs/service-definition.md).
     * Required: yes. Ownership: plugin-owned, valid until destroy; a later
     * call returns the same document. Returns NULL only on failure (then the
     * plugin is refused, with last_error's reason when it has one). */
    const char* (*definitions)(envmgr_plugin_instance* self);

    /* Computes the parts of one definition that are only known at start (GPU
     * requests, a router's node list). context_json: docs/service-definition.md
     * ("Resolve context"); the result is a JSON object merged over the definition.
     * Required: no (NULL: the definition is used as it is). */
    envmgr_operation_id (*resolve)(envmgr_plugin_instance* self, const char* service_name,
                                   const char* context_json, const envmgr_callbacks* callbacks);
    /* Required: yes when resolve is set, NULL otherwise. */
    void (*cancel)(envmgr_plugin_instance* self, envmgr_operation_id id);
} envmgr_service_api;

/* Probe plugins check one kind of readiness each; two plugins may not claim
 * the same probe_type. Since: 1.0 */
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
     * until destroy; a later call returns the same string. NULL: failed (see
     * last_error). */
    const char* (*endpoint)(envmgr_plugin_instance* self);
} envmgr_frontend_api;

/* ---- the descriptor and the entry point ---------------------------------- */

/* Describes one plugin. Ownership: plugin-owned, static, valid while the
 * library is loaded. Since: 1.0 */
typedef struct envmgr_plugin_descriptor {
    /* Frozen across majors: the host reads only these three fields before it
     * has checked the major. */
    uint32_t struct_size; /* sizeof(envmgr_plugin_descriptor) of the plugin */
    uint16_t abi_major;   /* ENVMGR_ABI_VERSION_MAJOR the plugin was built with */
    uint16_t abi_minor;   /* lowest host minor the plugin needs */

    envmgr_plugin_kind kind;
    const char* id;          /* dotted, category first: "backend.docker"; a-z 0-9 . - _ */
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
     * bytes). Required: yes. Ownership: host_api is valid until destroy.
     * Threading: a host thread. */
    envmgr_status (*create)(const envmgr_host_api* host_api, const char* config_json,
                            envmgr_plugin_instance** out, char* error, size_t error_size);

    /* Releases an instance: the plugin cancels and completes whatever is
     * still in flight, joins its own threads, and does not call the host API
     * after it returns. When and where the host calls it: see "Lifetimes" at
     * the top of this file. Required: yes. */
    void (*destroy)(envmgr_plugin_instance* self);

    /* Begins serving (frontends listen, backends connect). Called once after
     * every plugin was created. Failure is reported like create's.
     * Required: no. */
    envmgr_status (*start)(envmgr_plugin_instance* self, char* error, size_t error_size);

    /* Stops serving and finishes or cancels in-flight work, completing
     * callbacks->on_complete once when done. Returns at once; the host waits a
     * bounded time for the completion (see "Lifetimes"). Required: no. */
    void (*stop)(envmgr_plugin_instance* self, const envmgr_callbacks* callbacks);

    /* The per-kind table: envmgr_service_api, envmgr_probe_api,
     * envmgr_backend_api or envmgr_frontend_api, by kind. Held by pointer so
     * that it can grow. Required: yes. Ownership: plugin-owned, static. */
    const void* kind_api;

    /* Why the last synchronous call on this instance (definitions, endpoint)
     * failed, or NULL. Required: no. Ownership: plugin-owned, valid until the
     * next call on the instance. Threading: called right after the call that
     * failed, on the same thread. Since: 1.1 */
    const char* (*last_error)(envmgr_plugin_instance* self);

    /* ENVMGR_PLUGIN_FLAG_* bits. Since: 1.1 */
    uint32_t flags;
} envmgr_plugin_descriptor;

/* The exported entry point, named ENVMGR_PLUGIN_ENTRY_SYMBOL. The host passes
 * its own ABI version so that a plugin may adapt; the plugin returns its
 * descriptor, or NULL when it cannot work with this host. Frozen across
 * majors.
 * Required: yes. Threading: called once, before anything else.
 * Since: 1.0 */
typedef const envmgr_plugin_descriptor* (*envmgr_plugin_entry_fn)(uint16_t host_abi_major,
                                                                  uint16_t host_abi_minor);

#ifdef __cplusplus
}
#endif

#endif /* ENVMGR_ABI_H */
