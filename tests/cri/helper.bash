# containerd's CRI plugin, private to one test case, for tests/cri.bats and
# bench/cri.sh.  Everything lives under one directory ($CT): containerd's
# config, root, state and sockets, the CNI conflist and host-local's store.
# /var/lib (libcni's result cache, /var/lib/cni) is an overlay of the
# sandbox's mount namespace; /run (shim sockets, /run/netns) is the sandbox's
# own tmpfs.  No system containerd is ever touched or needed.
#
#   cri_world DIR PLUGINS STACK HAIRPIN  writes the config, image, conflist
#   cri_start / cri_stop                 containerd itself (bounded waits)
#   cri_kill_all                         containerd, every shim, every task
#   cri ARG...                           tests/cri/cri.py on the socket
#
# PLUGINS is a plugin directory (CRI's bin_dir); STACK v4 or dual; HAIRPIN
# true or false (bridge's hairpinMode: false keeps IPv6 DAD on).

CRI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CRI_IMAGE=nsbox.local/pause:1
: "${CRI_START_TIMEOUT:=60}"	# seconds for containerd to serve CRI

cri() { CRI_SOCK="$CT/containerd.sock" CRI_LOGDIR="$CT/logs" "$CRI_DIR/cri.py" "$@"; }

# cri_world DIR PLUGINS STACK HAIRPIN [NET [SUBNET4 [SUBNET6 [BRIDGE]]]]
cri_world() {
	CT=$1
	local plugins=$2 stack=$3 hairpin=$4 net=${5:-crinet} s4=${6:-10.88.0.0/24} \
		s6=${7:-fd00:88::/64} br=${8:-cni0} ranges routes
	mkdir -p "$CT/net.d" "$CT/data" "$CT/logs" "$CT/opt"
	ranges="[{\"subnet\":\"$s4\"}]"
	routes='{"dst":"0.0.0.0/0"}'
	if [ "$stack" = dual ]; then
		ranges="$ranges,[{\"subnet\":\"$s6\"}]"
		routes="$routes,{\"dst\":\"::/0\"}"
	fi
	cat >"$CT/net.d/10-$net.conflist" <<X
{"cniVersion":"1.0.0","name":"$net","plugins":[
 {"type":"bridge","bridge":"$br","isGateway":true,"ipMasq":true,"hairpinMode":$hairpin,
  "ipam":{"type":"host-local","dataDir":"$CT/data","ranges":[$ranges],"routes":[$routes]}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
X
	cat >"$CT/config.toml" <<X
version = 2
root = "$CT/root"
state = "$CT/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.overlayfs", "io.containerd.internal.v1.tracing",
  "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CT/containerd.sock"
[ttrpc]
  address = "$CT/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CT/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$CRI_IMAGE"
  disable_cgroup = true
  disable_apparmor = true
  restrict_oom_score_adj = true
  disable_tcp_service = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$plugins"
    conf_dir = "$CT/net.d"
    max_conf_num = 1
X
	"$CRI_DIR/mkimage" "$CT/image.tar" "$CRI_IMAGE"
}

# the sandbox's own view: /var/lib as an overlay (libcni's cache), cgroup2
# mounted for runc (this mount namespace only)
cri_mounts() {
	local t=$1
	if [ "$(findmnt -n -o SOURCE /var/lib)" != sandbox-varlib ]; then
		mkdir -p "$t/varlib/u" "$t/varlib/w"
		mount -t overlay sandbox-varlib -o "lowerdir=/var/lib,upperdir=$t/varlib/u,workdir=$t/varlib/w" /var/lib
	fi
	findmnt -n -t cgroup2 /sys/fs/cgroup >/dev/null || mount -t cgroup2 none /sys/fs/cgroup
}

# cri_start: containerd on $CT's config, serving CRI with its network ready
# within CRI_START_TIMEOUT seconds; the image imported on the first start
cri_start() {
	containerd --config "$CT/config.toml" >>"$CT/containerd.log" 2>&1 &
	echo $! >"$CT/containerd.pid"
	if ! CRI_TIMEOUT=5 cri wait "$CRI_START_TIMEOUT"; then
		echo "containerd did not become ready; its log:" >&2
		tail -n 20 "$CT/containerd.log" >&2
		return 1
	fi
	if [ ! -e "$CT/image.imported" ]; then
		timeout 60 ctr --address "$CT/containerd.sock" -n k8s.io images import \
			--snapshotter native "$CT/image.tar" >/dev/null &&
			touch "$CT/image.imported"
	fi
}

# cri_stop: containerd ends (SIGTERM, then SIGKILL after 10 s); shims and
# pods keep running, as when a node's containerd restarts
cri_stop() {
	local pid _
	pid=$(cat "$CT/containerd.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || { rm -f "$CT/containerd.pid"; return 0; }
	for _ in $(seq 200); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -f "$CT/containerd.pid"
}

# cri_kill_all: containerd, then every shim and task it started (their pid
# files in containerd's state), by pid; then the mounts left under $CT
cri_kill_all() {
	[ -n "${CT:-}" ] || return 0
	cri_stop
	local f pids=()
	for f in "$CT"/state/io.containerd.runtime.v2.task/*/*/init.pid \
		"$CT"/state/io.containerd.runtime.v2.task/*/*/shim.pid; do
		[ -f "$f" ] && pids+=("$(cat "$f")")
	done
	[ ${#pids[@]} -gt 0 ] && kill -9 "${pids[@]}" 2>/dev/null
	# what a sandbox never removed still has its rootfs and shm mounted
	# (this mount namespace only): unmounted, so the directory can go
	findmnt -rn -o TARGET | grep -F "$CT/" | sort -r | xargs -r umount -l 2>/dev/null
	return 0
}

# cri_leftovers IDS...: what the case left (engine_leftovers), and the
# sandboxes containerd still lists
cri_leftovers() {
	local pods
	pods=$(cri pods) || echo "failed: cri pods"
	[ -z "$pods" ] || sed 's/^/pod: /' <<<"$pods"
	engine_leftovers "$CT/data" "$@"
}

# cri_nothing_left IDS...: cri_leftovers prints nothing (else the case
# fails, showing what it printed)
cri_nothing_left() { engine_nothing_left cri_leftovers "$@"; }
