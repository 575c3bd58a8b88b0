#!/usr/bin/python3
"""A small CRI client (runtime.v1 RuntimeService) for the tests and the bench.

The messages are described here by hand, with the field numbers of the
Kubernetes CRI API (cri-api, pkg/apis/runtime/v1/api.proto), as a
FileDescriptorProto built in code: no protoc, no generated module.  Only the
fields the tests use are described; the wire format lets the rest be left
out.  Enums are described as int32 (the same varint on the wire).

    cri.py [-s SOCKET] COMMAND ARG...      (SOCKET: $CRI_SOCK)

Every call has a deadline ($CRI_TIMEOUT seconds, default 60).  Errors are one
line on stderr, "cri.py: RPC: CODE: details", exit status 1.
"""
import json
import os
import sys
import threading
import time

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto
SCALAR = {
    "string": F.TYPE_STRING, "bytes": F.TYPE_BYTES, "bool": F.TYPE_BOOL,
    "int32": F.TYPE_INT32, "int64": F.TYPE_INT64, "uint32": F.TYPE_UINT32,
    "uint64": F.TYPE_UINT64,
}

# message: [(field, number, type, repeated)]; type is a scalar, another
# message of this list, or "map" (map<string, string>)
MESSAGES = {
    "VersionRequest": [("version", 1, "string", 0)],
    "VersionResponse": [("version", 1, "string", 0), ("runtime_name", 2, "string", 0),
                        ("runtime_version", 3, "string", 0),
                        ("runtime_api_version", 4, "string", 0)],
    "StatusRequest": [("verbose", 1, "bool", 0)],
    "RuntimeCondition": [("type", 1, "string", 0), ("status", 2, "bool", 0),
                         ("reason", 3, "string", 0), ("message", 4, "string", 0)],
    "RuntimeStatus": [("conditions", 1, "RuntimeCondition", 1)],
    "StatusResponse": [("status", 1, "RuntimeStatus", 0), ("info", 2, "map", 0)],
    "PodSandboxMetadata": [("name", 1, "string", 0), ("uid", 2, "string", 0),
                           ("namespace", 3, "string", 0), ("attempt", 4, "uint32", 0)],
    # protocol: TCP 0, UDP 1, SCTP 2
    "PortMapping": [("protocol", 1, "int32", 0), ("container_port", 2, "int32", 0),
                    ("host_port", 3, "int32", 0), ("host_ip", 4, "string", 0)],
    # NamespaceMode: POD 0, CONTAINER 1, NODE 2, TARGET 3
    "NamespaceOption": [("network", 1, "int32", 0), ("pid", 2, "int32", 0),
                        ("ipc", 3, "int32", 0), ("target_id", 4, "string", 0)],
    "LinuxSandboxSecurityContext": [("namespace_options", 1, "NamespaceOption", 0),
                                    ("privileged", 6, "bool", 0)],
    "LinuxPodSandboxConfig": [("cgroup_parent", 1, "string", 0),
                              ("security_context", 2, "LinuxSandboxSecurityContext", 0),
                              ("sysctls", 3, "map", 0)],
    "PodSandboxConfig": [("metadata", 1, "PodSandboxMetadata", 0), ("hostname", 2, "string", 0),
                         ("log_directory", 3, "string", 0),
                         ("port_mappings", 5, "PortMapping", 1), ("labels", 6, "map", 0),
                         ("annotations", 7, "map", 0), ("linux", 8, "LinuxPodSandboxConfig", 0)],
    "RunPodSandboxRequest": [("config", 1, "PodSandboxConfig", 0),
                             ("runtime_handler", 2, "string", 0)],
    "RunPodSandboxResponse": [("pod_sandbox_id", 1, "string", 0)],
    "StopPodSandboxRequest": [("pod_sandbox_id", 1, "string", 0)],
    "StopPodSandboxResponse": [],
    "RemovePodSandboxRequest": [("pod_sandbox_id", 1, "string", 0)],
    "RemovePodSandboxResponse": [],
    "PodSandboxStatusRequest": [("pod_sandbox_id", 1, "string", 0), ("verbose", 2, "bool", 0)],
    "PodIP": [("ip", 1, "string", 0)],
    "PodSandboxNetworkStatus": [("ip", 1, "string", 0), ("additional_ips", 2, "PodIP", 1)],
    # state: SANDBOX_READY 0, SANDBOX_NOTREADY 1
    "PodSandboxStatus": [("id", 1, "string", 0), ("metadata", 2, "PodSandboxMetadata", 0),
                         ("state", 3, "int32", 0), ("created_at", 4, "int64", 0),
                         ("network", 5, "PodSandboxNetworkStatus", 0)],
    "PodSandboxStatusResponse": [("status", 1, "PodSandboxStatus", 0), ("info", 2, "map", 0)],
    "PodSandboxStateValue": [("state", 1, "int32", 0)],
    "PodSandboxFilter": [("id", 1, "string", 0), ("state", 2, "PodSandboxStateValue", 0),
                         ("label_selector", 3, "map", 0)],
    "ListPodSandboxRequest": [("filter", 1, "PodSandboxFilter", 0)],
    "PodSandbox": [("id", 1, "string", 0), ("metadata", 2, "PodSandboxMetadata", 0),
                   ("state", 3, "int32", 0), ("created_at", 4, "int64", 0),
                   ("labels", 5, "map", 0)],
    "ListPodSandboxResponse": [("items", 1, "PodSandbox", 1)],
    "ContainerMetadata": [("name", 1, "string", 0), ("attempt", 2, "uint32", 0)],
    "ImageSpec": [("image", 1, "string", 0)],
    "KeyValue": [("key", 1, "string", 0), ("value", 2, "string", 0)],
    "ContainerConfig": [("metadata", 1, "ContainerMetadata", 0), ("image", 2, "ImageSpec", 0),
                        ("command", 3, "string", 1), ("args", 4, "string", 1),
                        ("working_dir", 5, "string", 0), ("envs", 6, "KeyValue", 1),
                        ("labels", 9, "map", 0), ("log_path", 11, "string", 0)],
    "CreateContainerRequest": [("pod_sandbox_id", 1, "string", 0),
                               ("config", 2, "ContainerConfig", 0),
                               ("sandbox_config", 3, "PodSandboxConfig", 0)],
    "CreateContainerResponse": [("container_id", 1, "string", 0)],
    "StartContainerRequest": [("container_id", 1, "string", 0)],
    "StartContainerResponse": [],
    "StopContainerRequest": [("container_id", 1, "string", 0), ("timeout", 2, "int64", 0)],
    "StopContainerResponse": [],
    "RemoveContainerRequest": [("container_id", 1, "string", 0)],
    "RemoveContainerResponse": [],
    # state: CREATED 0, RUNNING 1, EXITED 2, UNKNOWN 3
    "ContainerStatusRequest": [("container_id", 1, "string", 0), ("verbose", 2, "bool", 0)],
    "ContainerStatus": [("id", 1, "string", 0), ("metadata", 2, "ContainerMetadata", 0),
                        ("state", 3, "int32", 0), ("exit_code", 7, "int32", 0),
                        ("reason", 10, "string", 0), ("message", 11, "string", 0)],
    "ContainerStatusResponse": [("status", 1, "ContainerStatus", 0), ("info", 2, "map", 0)],
    "ExecSyncRequest": [("container_id", 1, "string", 0), ("cmd", 2, "string", 1),
                        ("timeout", 3, "int64", 0)],
    "ExecSyncResponse": [("stdout", 1, "bytes", 0), ("stderr", 2, "bytes", 0),
                         ("exit_code", 3, "int32", 0)],
}

RPCS = {  # method: (request, response)
    "Version": ("VersionRequest", "VersionResponse"),
    "Status": ("StatusRequest", "StatusResponse"),
    "RunPodSandbox": ("RunPodSandboxRequest", "RunPodSandboxResponse"),
    "StopPodSandbox": ("StopPodSandboxRequest", "StopPodSandboxResponse"),
    "RemovePodSandbox": ("RemovePodSandboxRequest", "RemovePodSandboxResponse"),
    "PodSandboxStatus": ("PodSandboxStatusRequest", "PodSandboxStatusResponse"),
    "ListPodSandbox": ("ListPodSandboxRequest", "ListPodSandboxResponse"),
    "CreateContainer": ("CreateContainerRequest", "CreateContainerResponse"),
    "StartContainer": ("StartContainerRequest", "StartContainerResponse"),
    "StopContainer": ("StopContainerRequest", "StopContainerResponse"),
    "RemoveContainer": ("RemoveContainerRequest", "RemoveContainerResponse"),
    "ContainerStatus": ("ContainerStatusRequest", "ContainerStatusResponse"),
    "ExecSync": ("ExecSyncRequest", "ExecSyncResponse"),
}

PACKAGE = "runtime.v1"


def _file():
    fd = descriptor_pb2.FileDescriptorProto(name="nsbox_cri.proto", package=PACKAGE,
                                            syntax="proto3")
    for name, fields in MESSAGES.items():
        m = fd.message_type.add(name=name)
        for fname, num, ftype, rep in fields:
            f = m.field.add(name=fname, number=num)
            f.label = F.LABEL_REPEATED if rep else F.LABEL_OPTIONAL
            if ftype in SCALAR:
                f.type = SCALAR[ftype]
            elif ftype == "map":
                entry = "".join(p.capitalize() for p in fname.split("_")) + "Entry"
                e = m.nested_type.add(name=entry)
                e.options.map_entry = True
                e.field.add(name="key", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
                e.field.add(name="value", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
                f.label = F.LABEL_REPEATED
                f.type = F.TYPE_MESSAGE
                f.type_name = ".%s.%s.%s" % (PACKAGE, name, entry)
            else:
                f.type = F.TYPE_MESSAGE
                f.type_name = ".%s.%s" % (PACKAGE, ftype)
    return fd


_pool = descriptor_pool.DescriptorPool()
_pool.Add(_file())
M = {n: message_factory.GetMessageClass(_pool.FindMessageTypeByName(PACKAGE + "." + n))
     if hasattr(message_factory, "GetMessageClass")
     else message_factory.MessageFactory(_pool).GetPrototype(
         _pool.FindMessageTypeByName(PACKAGE + "." + n))
     for n in MESSAGES}

READY, NOTREADY = 0, 1
STATES = {READY: "SANDBOX_READY", NOTREADY: "SANDBOX_NOTREADY"}


class CRIError(Exception):
    pass


class Client:
    def __init__(self, sock, timeout=None):
        self.timeout = float(timeout or os.environ.get("CRI_TIMEOUT", "60"))
        self.channel = grpc.insecure_channel("unix://" + sock)
        self.stubs = {}
        for meth, (req, resp) in RPCS.items():
            self.stubs[meth] = self.channel.unary_unary(
                "/%s.RuntimeService/%s" % (PACKAGE, meth),
                request_serializer=M[req].SerializeToString,
                response_deserializer=M[resp].FromString)

    def call(self, meth, deadline=None, **fields):
        req = M[RPCS[meth][0]](**fields)
        try:
            return self.stubs[meth](req, timeout=deadline or self.timeout)
        except grpc.RpcError as e:
            raise CRIError("%s: %s: %s" % (meth, e.code().name, e.details())) from None

    def close(self):
        self.channel.close()

    # sandboxes
    @staticmethod
    def sandbox_config(name, ports=(), logdir="/tmp"):
        pm = []
        for p in ports:  # HOSTPORT:CONTAINERPORT[/udp][@HOSTIP]
            hostip = ""
            if "@" in p:
                p, hostip = p.split("@", 1)
            proto = 0
            if p.endswith("/udp"):
                p, proto = p[:-4], 1
            h, c = p.split(":")
            pm.append(M["PortMapping"](protocol=proto, host_port=int(h),
                                       container_port=int(c), host_ip=hostip))
        return M["PodSandboxConfig"](
            metadata=M["PodSandboxMetadata"](name=name, uid="uid-" + name,
                                             namespace="nsbox", attempt=0),
            hostname=name, log_directory=logdir, port_mappings=pm,
            linux=M["LinuxPodSandboxConfig"](
                security_context=M["LinuxSandboxSecurityContext"](
                    namespace_options=M["NamespaceOption"](network=0, pid=1, ipc=0))))

    def runp(self, name, ports=(), logdir="/tmp"):
        cfg = self.sandbox_config(name, ports, logdir)
        return self.call("RunPodSandbox", config=cfg).pod_sandbox_id

    def status(self, pid, verbose=False):
        return self.call("PodSandboxStatus", pod_sandbox_id=pid, verbose=verbose)

    def ips(self, pid):
        net = self.status(pid).status.network
        return [ip for ip in [net.ip] + [a.ip for a in net.additional_ips] if ip]

    def netns(self, pid):
        info = json.loads(self.status(pid, True).info["info"])
        for ns in info["runtimeSpec"]["linux"]["namespaces"]:
            if ns["type"] == "network":
                return ns.get("path", "")
        return ""

    def stopp(self, pid):
        self.call("StopPodSandbox", pod_sandbox_id=pid)

    def rmp(self, pid):
        self.call("RemovePodSandbox", pod_sandbox_id=pid)

    def pods(self):
        return self.call("ListPodSandbox").items

    # containers
    def create(self, pid, podname, name, image, cmd, logdir="/tmp"):
        cfg = M["ContainerConfig"](metadata=M["ContainerMetadata"](name=name),
                                   image=M["ImageSpec"](image=image), command=cmd,
                                   log_path=name + ".log")
        return self.call("CreateContainer", pod_sandbox_id=pid, config=cfg,
                         sandbox_config=self.sandbox_config(podname, logdir=logdir)).container_id

    def start(self, cid):
        self.call("StartContainer", container_id=cid)

    def exec(self, cid, cmd, timeout=20):
        """ExecSync with the command's own timeout; the RPC's deadline is 10 s longer."""
        return self.call("ExecSync", timeout + 10, container_id=cid, cmd=cmd, timeout=timeout)

    def wait_ready(self, seconds):
        """Version and Status until RuntimeReady and NetworkReady, at most SECONDS."""
        end = time.monotonic() + seconds
        last = "no answer"
        while time.monotonic() < end:
            try:
                self.call("Version", 2, version="v1")
                conds = {c.type: c for c in self.call("Status", 2).status.conditions}
                if all(k in conds and conds[k].status for k in ("RuntimeReady", "NetworkReady")):
                    return
                last = "; ".join("%s=%s %s" % (k, c.status, c.message) for k, c in conds.items())
            except CRIError as e:
                last = str(e)
            time.sleep(0.1)
        raise CRIError("not ready after %g s: %s" % (seconds, last))


def parallel(fn, items):
    """fn(item) for each item, each in its own thread; [(result, error)]."""
    out = [None] * len(items)

    def one(i, item):
        try:
            out[i] = (fn(item), None)
        except CRIError as e:
            out[i] = (None, e)
    threads = [threading.Thread(target=one, args=(i, x)) for i, x in enumerate(items)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def all_or_error(results):
    errors = [str(e) for _, e in results if e]
    if errors:
        raise CRIError("%d of %d failed, the first: %s" % (len(errors), len(results), errors[0]))
    return [r for r, _ in results]


def main(argv):
    sock = os.environ.get("CRI_SOCK", "")
    if len(argv) > 2 and argv[1] == "-s":
        sock, argv = argv[2], [argv[0]] + argv[3:]
    if len(argv) < 2 or not sock:
        sys.stderr.write(__doc__)
        return 2
    c = Client(sock)
    cmd, args = argv[1], argv[2:]
    try:
        if cmd == "wait":                 # wait [SECONDS]
            c.wait_ready(float(args[0]) if args else 30)
        elif cmd == "version":
            v = c.call("Version", version="v1")
            print(v.runtime_name, v.runtime_version, v.runtime_api_version)
        elif cmd == "runp":               # runp NAME [HOSTPORT:CPORT[/udp][@HOSTIP]...]
            print(c.runp(args[0], args[1:], os.environ.get("CRI_LOGDIR", "/tmp")))
        elif cmd == "ips":                # ips ID: the pod's addresses, one a line
            print("\n".join(c.ips(args[0])))
        elif cmd == "netns":              # netns ID: the pod's network namespace path
            print(c.netns(args[0]))
        elif cmd == "state":              # state ID
            print(STATES.get(c.status(args[0]).status.state, "?"))
        elif cmd == "stopp":
            c.stopp(args[0])
        elif cmd == "rmp":
            c.rmp(args[0])
        elif cmd == "runp-par":           # runp-par PREFIX N: N sandboxes at once, ids
            logdir = os.environ.get("CRI_LOGDIR", "/tmp")
            names = ["%s%d" % (args[0], i) for i in range(1, int(args[1]) + 1)]
            print("\n".join(all_or_error(parallel(lambda n: c.runp(n, (), logdir), names))))
        elif cmd == "rmp-par":            # rmp-par ID...: Stop then Remove each, at once
            all_or_error(parallel(lambda i: (c.stopp(i), c.rmp(i)), args))
        elif cmd == "inspect":            # inspect ID...: "ID STATE IP..." a line each
            for i in args:
                print(i, STATES.get(c.status(i).status.state, "?"), *c.ips(i))
        elif cmd == "pods":               # pods: ID STATE NAME, one a line
            for p in c.pods():
                print(p.id, STATES.get(p.state, "?"), p.metadata.name)
        elif cmd == "run":                # run POD PODNAME NAME IMAGE CMD...: create + start
            cid = c.create(args[0], args[1], args[2], args[3], args[4:],
                           os.environ.get("CRI_LOGDIR", "/tmp"))
            c.start(cid)
            print(cid)
        elif cmd == "exec":               # exec CID CMD...: its stdout, stderr, exit code
            r = c.exec(args[0], args[1:])
            sys.stdout.buffer.write(r.stdout)
            sys.stderr.buffer.write(r.stderr)
            return r.exit_code
        else:
            sys.stderr.write("cri.py: %s: unknown command\n" % cmd)
            return 2
    except CRIError as e:
        sys.stderr.write("cri.py: %s\n" % e)
        return 1
    finally:
        c.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
