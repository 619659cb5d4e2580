"""The proto file against the env_manager.v1 wire contract that existing clients speak:
every message, field number, type and label, and every RPC's types and streaming."""
import subprocess
import sys
import tempfile
import unittest

from google.protobuf import descriptor_pb2

PROTO_ROOT, PROTOC = sys.argv[1], sys.argv[2]
F = descriptor_pb2.FieldDescriptorProto

#message->{field : (number, type, repeated) }; map < K, V> fields are written as("map", K, V).
CONTRACT = {
    "StartServicesRequest": {"service_names": (1, "string", True), "parallel": (2, "bool", False),
                             "overrides": (3, ("map", "string", "string"), False)},
    "ServiceStatusUpdate": {"service_name": (1, "string", False), "status": (2, "string", False),
                            "message": (3, "string", False), "progress": (4, "int32", False)},
    "StopServicesRequest": {"service_names": (1, "string", True), "timeout_seconds": (2, "int32", False)},
    "StopServicesResponse": {"success": (1, "bool", False),
                             "service_results": (2, ("map", "string", "string"), False)},
    "RestartServiceRequest": {"service_name": (1, "string", False), "timeout_seconds": (2, "int32", False)},
    "RestartServiceResponse": {"success": (1, "bool", False), "message": (2, "string", False)},
    "GetServicesStatusRequest": {"service_names": (1, "string", True)},
    "ServicesStatusResponse": {"services": (1, ("map", "string", ".env_manager.v1.ServiceStatus"), False)},
    "ServiceStatus": {"name": (1, "string", False), "status": (2, "string", False),
                      "container_id": (3, "string", False), "ports": (4, "int32", True),
                      "health_checks": (5, ("map", "string", "string"), False),
                      "started_at": (6, "int64", False),
                      "resource_usage": (7, ".env_manager.v1.ResourceUsage", False)},
    "ResourceUsage": {"cpu_percent": (1, "double", False), "memory_bytes": (2, "int64", False),
                      "network_rx_bytes": (3, "int64", False), "network_tx_bytes": (4, "int64", False)},
    "StreamHealthRequest": {"service_names": (1, "string", True), "interval_seconds": (2, "int32", False)},
    "HealthUpdate": {"service_name": (1, "string", False), "healthy": (2, "bool", False),
                     "message": (3, "string", False), "timestamp": (4, "int64", False),
                     "details": (5, ("map", "string", "string"), False)},
    "GetResourceAvailabilityRequest": {"workload_class": (1, "string", False)},
    "ResourceAvailabilityResponse": {"available": (1, "bool", False), "capacity": (2, "int32", False),
                                     "in_use": (3, "int32", False),
                                     "hardware": (4, ".env_manager.v1.HardwareInfo", False)},
    "HardwareInfo": {"cpu_cores": (1, "int32", False), "memory_bytes": (2, "int64", False),
                     "gpus": (3, ".env_manager.v1.GPU", True)},
    "GPU": {"index": (1, "int32", False), "name": (2, "string", False), "memory_bytes": (3, "int64", False),
            "utilization_percent": (4, "double", False)},
    "ExecuteTaskRequest": {"task_id": (1, "string", False), "workload_class": (2, "string", False),
                           "payload": (3, ("map", "string", "string"), False),
                           "timeout_seconds": (4, "int32", False)},
    "ExecuteTaskResponse": {"success": (1, "bool", False), "result": (2, ("map", "string", "string"), False),
                            "error": (3, "string", False), "latency_ms": (4, "double", False)},
    "PullImagesRequest": {"image_names": (1, "string", True)},
    "ImagePullProgress": {"image_name": (1, "string", False), "status": (2, "string", False),
                          "current": (3, "int64", False), "total": (4, "int64", False),
                          "progress_percent": (5, "int32", False)},
    "StreamLogsRequest": {"service_name": (1, "string", False), "follow": (2, "bool", False),
                          "tail": (3, "int32", False), "since_timestamp": (4, "int64", False)},
    "LogEntry": {"service_name": (1, "string", False), "container_id": (2, "string", False),
                 "stream": (3, "string", False), "message": (4, "string", False),
                 "timestamp": (5, "int64", False)},
}

RPCS = {  # name -> (request, response, server streaming)
    "StartServices": ("StartServicesRequest", "ServiceStatusUpdate", True),
    "StopServices": ("StopServicesRequest", "StopServicesResponse", False),
    "RestartService": ("RestartServiceRequest", "RestartServiceResponse", False),
    "GetServicesStatus": ("GetServicesStatusRequest", "ServicesStatusResponse", False),
    "StreamHealth": ("StreamHealthRequest", "HealthUpdate", True),
    "GetResourceAvailability": ("GetResourceAvailabilityRequest", "ResourceAvailabilityResponse", False),
    "ExecuteTask": ("ExecuteTaskRequest", "ExecuteTaskResponse", False),
    "PullImages": ("PullImagesRequest", "ImagePullProgress", True),
    "StreamLogs": ("StreamLogsRequest", "LogEntry", True),
}

SCALARS = {F.TYPE_STRING: "string", F.TYPE_BOOL: "bool", F.TYPE_INT32: "int32",
           F.TYPE_INT64: "int64", F.TYPE_DOUBLE: "double"}


def load():
    with tempfile.NamedTemporaryFile(suffix=".pb") as out:
        subprocess.run([PROTOC, f"--proto_path={PROTO_ROOT}", f"--descriptor_set_out={out.name}",
                        "env_manager/v1/env_manager.proto"], check=True)
        files = descriptor_pb2.FileDescriptorSet.FromString(out.read())
    return files.file[0]


def type_of(message, field):
    if field.type == F.TYPE_MESSAGE:
        nested = {n.name: n for n in message.nested_type}
        entry = nested.get(field.type_name.rsplit(".", 1)[-1])
        if entry is not None and entry.options.map_entry:
            key, value = entry.field
            return ("map", type_of(entry, key), type_of(entry, value))
        return field.type_name
    return SCALARS.get(field.type, f"type {field.type}")


class ProtoContract(unittest.TestCase):
    def setUp(self):
        self.file = load()

    def test_package_and_go_package(self):
        self.assertEqual(self.file.package, "env_manager.v1")
        self.assertEqual(self.file.options.go_package, "github.com/dspy/orchestrator/internal/pb/envmanager")

    def test_every_contract_field_keeps_its_number_type_and_label(self):
        messages = {m.name: m for m in self.file.message_type}
        for name, fields in CONTRACT.items():
            self.assertIn(name, messages)
            actual = {f.name: f for f in messages[name].field}
            for field_name, (number, kind, repeated) in fields.items():
                with self.subTest(message=name, field=field_name):
                    self.assertIn(field_name, actual)
                    field = actual[field_name]
                    self.assertEqual(field.number, number)
                    self.assertEqual(type_of(messages[name], field), kind)
                    is_map = isinstance(kind, tuple)
                    self.assertEqual(field.label == F.LABEL_REPEATED, repeated or is_map)

    def test_service_rpcs_keep_their_types_and_streaming(self):
        self.assertEqual([s.name for s in self.file.service], ["EnvManagerService"])
        methods = {m.name: m for m in self.file.service[0].method}
        for name, (request, response, streaming) in RPCS.items():
            with self.subTest(rpc=name):
                method = methods[name]
                self.assertEqual(method.input_type, f".env_manager.v1.{request}")
                self.assertEqual(method.output_type, f".env_manager.v1.{response}")
                self.assertEqual(method.server_streaming, streaming)
                self.assertFalse(method.client_streaming)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
