"""Python stubs for env_manager.v1 (and grpc.health.v1, grpc.reflection.v1alpha from Debian's
grpc-proto), generated at test time from the proto files, as a client in the field would."""
import importlib
import os
import shutil
import sys
import tempfile

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTO_DIR = os.path.join(SOURCE_DIR, "proto")
GRPC_PROTO_DIR = "/usr/share/grpc-proto"


def generate():
    """Returns the modules env_manager_pb2, env_manager_pb2_grpc, health_pb2, health_pb2_grpc,
    reflection_pb2, reflection_pb2_grpc, generated into a fresh folder."""
    from grpc_tools import protoc  # python3-grpc-tools
    out = tempfile.mkdtemp(prefix="envmgr-stubs-")
    # Flat file names, so the generated modules never collide with the grpc package itself; the
    # proto packages (and so the services' full names) are unchanged.
    for source in (os.path.join(PROTO_DIR, "env_manager/v1/env_manager.proto"),
                   os.path.join(GRPC_PROTO_DIR, "grpc/health/v1/health.proto"),
                   os.path.join(GRPC_PROTO_DIR, "grpc/reflection/v1alpha/reflection.proto")):
        shutil.copy(source, out)
        code = protoc.main(["protoc", f"-I{out}", f"--python_out={out}", f"--grpc_python_out={out}",
                            os.path.join(out, os.path.basename(source))])
        if code != 0:
            raise RuntimeError(f"protoc failed on {source}")
    sys.path.insert(0, out)
    return [importlib.import_module(name) for name in
            ("env_manager_pb2", "env_manager_pb2_grpc", "health_pb2", "health_pb2_grpc",
             "reflection_pb2", "reflection_pb2_grpc")]
