#!/usr/bin/env bats
# podman (Debian's 4.3) with its CNI backend: containers from a directory
# rootfs (static busybox, no image, no registry), vfs storage, a private
# storage root and runroot.  Every case runs twice: with the reference
# plugins (/usr/lib/cni) as podman's plugin directory, and with a directory
# holding only links to nsbox.  Checked with ip -j in the container's
# namespace, the container's own view, traffic to it directly and through
# the port mapping, and after each case nothing may be left
# (engine_leftovers: namespaces, veths, host-local's store, rules, tables).
# This machine withholds CAP_SYS_RESOURCE, so crun cannot raise
# RLIMIT_MEMLOCK to load its cgroup v2 device filter: containers run with
# --cgroups=disabled (the network is unaffected).

bats_require_minimum_version 1.5.0
load helper
load engine

setup_world() {
	command -v podman >/dev/null || skip "podman missing"
	[ -x /bin/busybox ] || skip "busybox-static missing"
	T=$BATS_TEST_TMPDIR
	# podman's libcni keeps its results cache in /var/lib/cni, host-local its
	# store for podman's default network: writes there go to an overlay of
	# this sandbox's mount namespace, not the machine
	mkdir -p "$T/varlib/u" "$T/varlib/w"
	mount -t overlay sandbox-varlib -o "lowerdir=/var/lib,upperdir=$T/varlib/u,workdir=$T/varlib/w" /var/lib
	mkdir -p "$T/nsbox-cni" "$T/net.d" "$T/rootfs/bin" "$T/rootfs/www" "$T/data"
	"$NSBOX" --install -s --cni "$T/nsbox-cni"
	cp /bin/busybox "$T/rootfs/bin/"
	for a in sh ip sleep httpd wget hostname; do ln -s busybox "$T/rootfs/bin/$a"; done
	mkdir -p "$T/rootfs/proc" "$T/rootfs/sys" "$T/rootfs/dev" "$T/rootfs/etc" "$T/rootfs/tmp"
	echo hello-from-podman >"$T/rootfs/www/index.html"
	cat >"$T/net.d/podnet.conflist" <<X
{"cniVersion":"0.4.0","name":"podnet","plugins":[
 {"type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,"hairpinMode":true,
  "ipam":{"type":"host-local","dataDir":"$T/data","ranges":[[{"subnet":"10.77.0.0/24"}]],
          "routes":[{"dst":"0.0.0.0/0"}]}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
X
	# crun wants a cgroup2 file system at /sys/fs/cgroup (this mount namespace only)
	findmnt -n -t cgroup2 /sys/fs/cgroup >/dev/null || mount -t cgroup2 none /sys/fs/cgroup
}

# plugins ref|nsbox: podman's plugin directory (containers.conf's
# cni_plugin_dirs).  The reference does not depend on the nsbox build: it
# runs with build/nsbox only, not again with the other builds.
plugins() {
	local dir=$T/nsbox-cni
	if [ "$1" = ref ]; then
		[ "${NSBOX##*/}" = nsbox ] || skip "reference plugins: run with build/nsbox only"
		dir=/usr/lib/cni
	fi
	cat >"$T/containers.conf" <<X
[network]
network_backend = "cni"
cni_plugin_dirs = ["$dir"]
network_config_dir = "$T/net.d"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
X
	export CONTAINERS_CONF="$T/containers.conf"
}

teardown() {
	[ -n "${CONTAINERS_CONF:-}" ] || return 0
	engine_peer_gone
	# a failed case says what it left, for the report (it fails either way)
	engine_report podman_leftovers "$T/data"
	pod rm -a -f -t 0 >/dev/null 2>&1
	return 0
}

pod() {
	podman --root "$T/root" --runroot "$T/runroot" --storage-driver vfs \
		--network-backend cni --cni-config-dir "$T/net.d" \
		--cgroup-manager cgroupfs --events-backend file "$@"
}

# web NAME NETWORK [OPTION...]: a detached busybox httpd answering
# hello-from-podman on port 80
web() {
	local n=$1 net=$2
	shift 2
	pod run -d --cgroups=disabled --network "$net" --name "$n" "$@" \
		--rootfs "$T/rootfs" /bin/httpd -f -p 80 -h /www
}

# answers HOST PORT: the web server at HOST:PORT answers hello-from-podman
answers() { [ "$(engine_get "$1" "$2" 2>/dev/null)" = hello-from-podman ]; }

# ipof NAME: the container's IPv4 address on eth0, per ip -j in its namespace
ipof() {
	nsenter -t "$(pod inspect -f '{{.State.Pid}}' "$1")" -n ip -j -4 addr show eth0 |
		jq -r '.[0].addr_info[0].local'
}

# podman_leftovers STORE WORD...: containers podman still has, and
# engine_leftovers; nothing_left: they print nothing
podman_leftovers() {
	local names
	names=$(pod ps -a --format '{{.Names}}') || echo "failed: podman ps"
	[ -z "$names" ] || sed 's/^/container: /' <<<"$names"
	engine_leftovers "$@"
}
nothing_left() { engine_nothing_left podman_leftovers "$@"; }

case_address() {
	plugins "$1"
	run pod run --rm --cgroups=disabled --network podnet --rootfs "$T/rootfs" /bin/ip -4 addr show eth0
	[ "$status" -eq 0 ]
	[[ "$output" == *"inet 10.77.0.2/24 "* ]]
	# DEL after the container: the address is back, the rules gone
	nothing_left "$T/data" 10.77.0.2
}

case_portmap() {
	plugins "$1"
	engine_peer
	web web podnet -p 18080:80
	pid=$(pod inspect -f '{{.State.Pid}}' web)
	nsenter -t "$pid" -n ip -j addr show eth0 |
		jq -e '.[0].addr_info[] | select(.family == "inet" and .local == "10.77.0.2" and .prefixlen == 24)'
	nsenter -t "$pid" -n ip -j route |
		jq -e '.[] | select(.dst == "default" and .gateway == "10.77.0.1")'
	[ "$(ip -j link show "$(ip -j link show master cni0 | jq -r '.[0].ifname')" | jq -r '.[0].master')" = cni0 ]
	until_ok answers 10.77.0.2 80
	# the mapping: from the host to its addresses, and from another namespace
	[ "$(engine_get 10.77.0.1 18080)" = hello-from-podman ]
	[ "$(engine_get 192.168.99.1 18080)" = hello-from-podman ]
	run -0 ip netns exec peer sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 socat -T3 - TCP:192.168.99.1:18080 | tail -n 1"
	[ "$output" = hello-from-podman ]
	# hairpin: the container reaches its own host port
	run -0 pod exec web wget -q -O - http://192.168.99.1:18080/
	[ "$output" = hello-from-podman ]
	run -0 pod rm -f -t 0 web
	engine_peer_gone
	nothing_left "$T/data" 10.77.0.2
}

case_cycles() {
	plugins "$1"
	web web podnet -p 18081:80
	for cycle in 1 2 3; do
		ip=$(ipof web)
		[[ $ip == 10.77.0.* ]]
		until_ok answers "$ip" 80
		[ "$(engine_get 10.77.0.1 18081)" = hello-from-podman ]
		run -0 pod stop -t 0 web
		# stopped: its network is gone, the container stays
		[ "$(podman_leftovers "$T/data" "$ip")" = "container: web" ]
		[ "$cycle" = 3 ] || run -0 pod start web
	done
	run -0 pod rm web
	nothing_left "$T/data"
}

case_parallel() {
	plugins "$1"
	local i pids=()
	for i in $(seq 20); do
		web "c$i" podnet >/dev/null 2>"$T/err.$i" &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || { cat "$T/err.$((i + 1))"; false; }
	done
	# one inspect for all twenty, then each one's eth0 per ip -j
	for p in $(pod inspect -f '{{.State.Pid}}' $(printf 'c%d ' $(seq 20))); do
		nsenter -t "$p" -n ip -j -4 addr show eth0 | jq -r '.[0].addr_info[0].local'
	done >"$T/ips"
	[ "$(grep -c '^10\.77\.0\.' "$T/ips")" -eq 20 ]
	[ "$(sort -u "$T/ips" | wc -l)" -eq 20 ]
	while read -r a; do
		ping -c 1 -W 5 "$a" >/dev/null || { echo "no answer from $a"; false; }
	done <"$T/ips"
	pids=()
	for i in $(seq 20); do
		pod rm -f -t 0 "c$i" >/dev/null 2>"$T/rmerr.$i" &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || { cat "$T/rmerr.$((i + 1))"; false; }
	done
	mapfile -t ips <"$T/ips"
	nothing_left "$T/data" "${ips[@]}"
}

# podman's own default network ("podman": bridge cni-podman0, 10.88.0.0/16;
# bridge, portmap, firewall and tuning, as `podman network create` writes them)
case_default() {
	plugins "$1"
	web web podman -p 18082:80
	ip=$(ipof web)
	[[ $ip == 10.88.* ]]
	until_ok answers "$ip" 80
	[ "$(engine_get 10.88.0.1 18082)" = hello-from-podman ]
	run -0 pod rm -f -t 0 web
	nothing_left /var/lib/cni/networks/podman "$ip"
}

# the bridge keeps its MAC address when the container owning its lowest port
# goes: another container's neighbour entry for its gateway stays right, so
# its traffic out does not pause (an unpinned bridge takes its lowest port's
# MAC, and the others' cached gateway MAC then points nowhere for ~40 s)
case_mac() {
	plugins "$1"
	for n in a b c; do web "$n" podnet >/dev/null; done
	mac=$(ip -j link show cni0 | jq -r '.[0].address')
	# the container whose host end holds the bridge's MAC, if any; else a
	gone=a
	for n in a b c; do
		p=$(pod inspect -f '{{.State.Pid}}' "$n")
		idx=$(nsenter -t "$p" -n ip -j link show eth0 | jq -r '.[0].link_index')
		[ "$(ip -j link show | jq -r --argjson i "$idx" '.[] | select(.ifindex == $i) | .address')" != "$mac" ] ||
			gone=$n
	done
	keep=b
	[ "$gone" != b ] || keep=c
	kp=$(pod inspect -f '{{.State.Pid}}' "$keep")
	# the kept container learns its gateway's MAC
	nsenter -t "$kp" -n ping -c 1 -W 5 10.77.0.1 >/dev/null
	run -0 pod rm -f -t 0 "$gone"
	[ "$(ip -j link show cni0 | jq -r '.[0].address')" = "$mac" ]
	nsenter -t "$kp" -n ip -j neigh show 10.77.0.1 | jq -e --arg m "$mac" '.[0].lladdr == $m'
	# three answers in a row, each within a second
	run -0 nsenter -t "$kp" -n ping -c 3 -i 0.2 -W 1 10.77.0.1
	[[ $output == *"3 received"* ]]
	run -0 pod rm -a -f -t 0
	nothing_left "$T/data"
}

@test "podman reference: run --rm: the address from the conflist, nothing left" { case_address ref; }
@test "podman nsbox: run --rm: the address from the conflist, nothing left" { case_address nsbox; }
@test "podman reference: ip -j in the container's namespace, traffic, a port mapping, hairpin, rm" { case_portmap ref; }
@test "podman nsbox: ip -j in the container's namespace, traffic, a port mapping, hairpin, rm" { case_portmap nsbox; }
@test "podman reference: three stop/start cycles, then rm" { case_cycles ref; }
@test "podman nsbox: three stop/start cycles, then rm" { case_cycles nsbox; }
@test "podman reference: 20 containers started and removed in parallel" { case_parallel ref; }
@test "podman nsbox: 20 containers started and removed in parallel" { case_parallel nsbox; }
@test "podman reference: podman's default network (bridge, portmap, firewall, tuning)" { case_default ref; }
@test "podman nsbox: podman's default network (bridge, portmap, firewall, tuning) with nsbox alone" { case_default nsbox; }
@test "podman reference: the bridge keeps its MAC when the container owning its lowest port goes" { case_mac ref; }
@test "podman nsbox: the bridge keeps its MAC when the container owning its lowest port goes" { case_mac nsbox; }
