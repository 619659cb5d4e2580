"""Wire compatibility with a Go client, as the orchestrator is one: stubs generated at test time
from our proto by Debian's protoc-gen-go and protoc-gen-go-grpc, the client in go_client/ built
offline against Debian's grpc-go (GOPATH mode on /usr/share/gocode), run against the daemon
binary with the real plugins and the real engine. The basic flow: start, status, health stream,
stop, over TCP and over a unix socket."""
import os
import shutil
import socket
import subprocess
import tempfile
import unittest

# daemon_process reads the fixture plugin folder at import; this test loads no fixture plugin.
os.environ.setdefault("ENVMGR_FIXTURE_PLUGIN_DIR", "")
from daemon_process import PLUGIN_DIR, Daemon, remove_tenant_resources, write_config  # noqa: E402

TENANT = "e2ego"
PORT_OFFSET = 4000
REDIS_PORT = 6379 + PORT_OFFSET
SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTO_DIR = os.path.join(SOURCE_DIR, "proto")
CLIENT_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "go_client", "main.go")
# The stubs land at the proto's go_package; the client sits in the same tree so that it may import
# that internal package, as it would in the orchestrator's repository.
CLIENT_PACKAGE = "github.com/dspy/orchestrator/cmd/envmgr-go-client"
# Go's build cache outlives the test: a cold build of grpc-go takes seconds, a warm one none.
GO_CACHE = "/tmp/envmgr-go-cache"
# What the client needs, and the Debian package that brings it.
TOOLS = (("go", "golang-go"), ("protoc", "protobuf-compiler"),
         ("protoc-gen-go", "golang-goprotobuf-dev"), ("protoc-gen-go-grpc", "protoc-gen-go-grpc"))
GO_SOURCES = (("/usr/share/gocode/src/google.golang.org/grpc", "golang-google-grpc-dev"),
              ("/usr/share/gocode/src/github.com/golang/protobuf/proto", "golang-goprotobuf-dev"))


def docker(*args):
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=60)


def remove_tenant():
    remove_tenant_resources(TENANT)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def go_env(gopath):
    """Offline GOPATH mode: the packages come from gopath and Debian's /usr/share/gocode only;
    no module proxy, no user go env file, no flags of the caller's."""
    env = dict(os.environ)
    env.update(GO111MODULE="off", GOPATH=f"{gopath}:/usr/share/gocode", GOCACHE=GO_CACHE, GOPROXY="off",
               GOFLAGS="", GOENV="off", CGO_ENABLED="0", GOTOOLCHAIN="local")
    return env


class GoClient(unittest.TestCase):
    work = None  # the temp GOPATH with the stubs and the client, built once for the class
    client = None

    @classmethod
    def tearDownClass(cls):
        if cls.work:
            shutil.rmtree(cls.work, ignore_errors=True)

    def setUp(self):
        if docker("version").returncode != 0:
            self.fail("no Docker engine: start the test-bed (scripts/testbed.sh up)")
        remove_tenant()
        self.addCleanup(remove_tenant)

    def build_client(self):
        if GoClient.client:
            return GoClient.client
        tools = {tool: shutil.which(tool) for tool, _ in TOOLS}
        missing = [package for tool, package in TOOLS if not tools[tool]]
        missing += [package for path, package in GO_SOURCES if not os.path.isdir(path)]
        if missing:
            self.fail("the Go client cannot be built: apt-get install " + " ".join(sorted(set(missing))))
        GoClient.work = tempfile.mkdtemp(prefix="envmgr-go-")
        src = os.path.join(GoClient.work, "src")
        os.makedirs(os.path.join(src, CLIENT_PACKAGE))
        generated = subprocess.run(
            [tools["protoc"], f"-I{PROTO_DIR}", f"--plugin=protoc-gen-go={tools['protoc-gen-go']}",
             f"--plugin=protoc-gen-go-grpc={tools['protoc-gen-go-grpc']}", f"--go_out={src}",
             f"--go-grpc_out={src}", "env_manager/v1/env_manager.proto"],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(generated.returncode, 0, f"protoc failed:\n{generated.stderr}")
        shutil.copy(CLIENT_SOURCE, os.path.join(src, CLIENT_PACKAGE, "main.go"))
        binary = os.path.join(GoClient.work, "envmgr-go-client")
        built = subprocess.run([tools["go"], "build", "-o", binary, CLIENT_PACKAGE], env=go_env(GoClient.work),
                               cwd=GoClient.work, capture_output=True, text=True, timeout=300)
        self.assertEqual(built.returncode, 0, f"go build failed:\n{built.stdout}{built.stderr}")
        GoClient.client = binary
        return binary

    def run_flow(self, address, expected_port=REDIS_PORT):
        """The daemon listening on address; the client's exit status and output."""
        client = self.build_client()
        toml = (f"[tenants.{TENANT}]\nport_offset = {PORT_OFFSET}\n"
                f"[tenants.{TENANT}.services.redis]\nlabels = {{ \"envmgr.test\" = \"1\" }}\n")
        config = write_config(toml)
        self.addCleanup(os.unlink, config)
        daemon = Daemon(ENV_MANAGER_CONFIG=config, ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR, ENV_MANAGER_GRPC_ADDR=address)
        self.addCleanup(daemon.kill)
        self.assertTrue(daemon.wait_for_log("env-manager ready", 20), daemon.output())
        ran = subprocess.run([client, "-addr", address, "-tenant", TENANT, "-port", str(expected_port),
                              "-timeout", "90s"], capture_output=True, text=True, timeout=100)
        self.assertEqual(ran.returncode, 0, f"the Go client failed:\n{ran.stdout}{ran.stderr}\n"
                                            f"daemon log:\n{daemon.output()[-4000:]}")
        return ran.stdout.splitlines()

    def assert_the_basic_flow(self, lines):
        expected = [r"StartServices ok: \d+ updates, last redis healthy",
                    rf"GetServicesStatus ok: redis healthy container [0-9a-f]{{12}} ports \[{REDIS_PORT}\]",
                    r"StreamHealth ok: redis healthy=true, cancelled",
                    r"StopServices ok: redis .+"]
        self.assertEqual(len(lines), len(expected), lines)
        for pattern, line in zip(expected, lines):
            self.assertRegex(line, "^" + pattern + "$")

    def test_the_basic_flow_over_tcp(self):
        self.assert_the_basic_flow(self.run_flow(f"127.0.0.1:{free_port()}"))

    def test_the_basic_flow_over_a_unix_socket(self):
        folder = tempfile.mkdtemp(prefix="envmgr-grpc-")
        self.addCleanup(shutil.rmtree, folder, True)
        self.assert_the_basic_flow(self.run_flow("unix:" + os.path.join(folder, "grpc.sock")))


if __name__ == "__main__":
    unittest.main()
