"""Calls every env_manager.v1 RPC once against ADDRESS and prints one JSON object: RPC -> the
status code name it got. Run by test_fault_remote inside a network namespace (a client on
another host, as the daemon sees it). Usage: remote_client.py ADDRESS TENANT [TOKEN]"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402

from grpc_client import generate  # noqa: E402

pb, rpc, health_pb, health_rpc, _, _ = generate()


def main():
    address, tenant = sys.argv[1], sys.argv[2]
    metadata = [("x-env-manager-tenant", tenant)]
    if len(sys.argv) > 3:
        metadata.append(("authorization", "Bearer " + sys.argv[3]))
    channel = grpc.insecure_channel(address)
    stub = rpc.EnvManagerServiceStub(channel)
    busybox = "envmgr-test/busybox:latest"
    calls = {
        "GetServicesStatus": lambda: stub.GetServicesStatus(pb.GetServicesStatusRequest(), metadata=metadata,
                                                            timeout=30),
        "StreamHealth": lambda: next(stub.StreamHealth(pb.StreamHealthRequest(service_names=["sleeper"]),
                                                       metadata=metadata, timeout=30)),
        "GetResourceAvailability": lambda: stub.GetResourceAvailability(pb.GetResourceAvailabilityRequest(),
                                                                        metadata=metadata, timeout=30),
        "StartServices": lambda: list(stub.StartServices(pb.StartServicesRequest(service_names=["sleeper"]),
                                                         metadata=metadata, timeout=60)),
        "StreamLogs": lambda: list(stub.StreamLogs(pb.StreamLogsRequest(service_name="sleeper"),
                                                   metadata=metadata, timeout=30)),
        "ExecuteTask": lambda: stub.ExecuteTask(pb.ExecuteTaskRequest(payload={"image": busybox, "command": "true"}),
                                                metadata=metadata, timeout=60),
        "PullImages": lambda: list(stub.PullImages(pb.PullImagesRequest(image_names=[busybox]),
                                                   metadata=metadata, timeout=60)),
        "RestartService": lambda: stub.RestartService(pb.RestartServiceRequest(service_name="sleeper"),
                                                      metadata=metadata, timeout=60),
        "StopServices": lambda: stub.StopServices(pb.StopServicesRequest(service_names=["sleeper"]),
                                                  metadata=metadata, timeout=60),
        "grpc.health.v1.Health/Check": lambda: health_rpc.HealthStub(channel).Check(
            health_pb.HealthCheckRequest(), timeout=30),
    }
    codes = {}
    for name, make_call in calls.items():
        try:
            make_call()
            codes[name] = "OK"
        except grpc.RpcError as error:
            codes[name] = error.code().name
            if error.code() not in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED):
                codes[name + ".details"] = error.details()
    channel.close()
    print(json.dumps(codes))


if __name__ == "__main__":
    main()
