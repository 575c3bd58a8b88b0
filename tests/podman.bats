#!/usr/bin/env bats
# podman (Debian's 4.3) with its CNI backend on nsbox's plugin links: a
# container from a directory rootfs (static busybox, no image, no
# registry) gets its network from nsbox's bridge, host-local and portmap.
# Checked with ip -j in the container's namespace, the container's own
# view, and traffic to it directly and through the port mapping.
# This machine withholds CAP_SYS_RESOURCE, so crun cannot raise
# RLIMIT_MEMLOCK to load its cgroup v2 device filter: containers run with
# --cgroups=disabled (the network is unaffected).

load helper

setup_world() {
	command -v podman >/dev/null || skip "podman missing"
	[ -x /bin/busybox ] || skip "busybox-static missing"
	T=$BATS_TEST_TMPDIR
	# podman's libcni keeps its results cache in /var/lib/cni: writes there
	# go to an overlay of this sandbox's mount namespace, not the machine
	mkdir -p "$T/varlib/u" "$T/varlib/w"
	mount -t overlay sandbox-varlib -o "lowerdir=/var/lib,upperdir=$T/varlib/u,workdir=$T/varlib/w" /var/lib
	mkdir -p "$T/cni" "$T/net.d" "$T/rootfs/bin" "$T/rootfs/www" "$T/data"
	"$NSBOX" --install -s --cni "$T/cni"
	cp /bin/busybox "$T/rootfs/bin/"
	for a in sh ip sleep httpd; do ln -s busybox "$T/rootfs/bin/$a"; done
	mkdir -p "$T/rootfs/proc" "$T/rootfs/sys" "$T/rootfs/dev" "$T/rootfs/etc" "$T/rootfs/tmp"
	echo hello-from-podman > "$T/rootfs/www/index.html"
	cat > "$T/net.d/podnet.conflist" <<X
{"cniVersion":"0.4.0","name":"podnet","plugins":[
 {"type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,"hairpinMode":true,
  "ipam":{"type":"host-local","dataDir":"$T/data","ranges":[[{"subnet":"10.77.0.0/24"}]],
          "routes":[{"dst":"0.0.0.0/0"}]}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
X
	cat > "$T/containers.conf" <<X
[network]
network_backend = "cni"
cni_plugin_dirs = ["$T/cni"]
network_config_dir = "$T/net.d"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
X
	export CONTAINERS_CONF="$T/containers.conf"
	# crun wants a cgroup2 file system at /sys/fs/cgroup (this mount namespace only)
	findmnt -n -t cgroup2 /sys/fs/cgroup >/dev/null || mount -t cgroup2 none /sys/fs/cgroup
}

pod() {
	podman --root "$T/root" --runroot "$T/runroot" --storage-driver vfs \
		--network-backend cni --cni-config-dir "$T/net.d" \
		--cgroup-manager cgroupfs --events-backend file "$@"
}

@test "podman --network-backend cni: nsbox's plugins give the container its address" {
	run pod run --rm --cgroups=disabled --network podnet --rootfs "$T/rootfs" /bin/ip -4 addr show eth0
	[ "$status" -eq 0 ]
	[[ "$output" == *"inet 10.77.0.2/24 "* ]]
	# DEL after the container: the address is back, the rules gone
	[ "$(ls "$T/data/podnet" | grep -c '^10\.' || true)" -eq 0 ]
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 0 ]
}

@test "podman: ip -j in the container's namespace, traffic, a port mapping" {
	run -0 pod run -d --cgroups=disabled --network podnet -p 18080:80 --name web \
		--rootfs "$T/rootfs" /bin/httpd -f -p 80 -h /www
	pid=$(pod inspect -f '{{.State.Pid}}' web)
	nsenter -t "$pid" -n ip -j addr show eth0 |
		jq -e '.[0].addr_info[] | select(.family == "inet" and .local == "10.77.0.2" and .prefixlen == 24)'
	nsenter -t "$pid" -n ip -j route |
		jq -e '.[] | select(.dst == "default" and .gateway == "10.77.0.1")'
	[ "$(ip -j link show "$(ip -j link show master cni0 | jq -r '.[0].ifname')" | jq -r '.[0].master')" = cni0 ]
	nft -j list ruleset | jq -e '.nftables[] | select(.rule.comment | tostring | startswith("portmap podnet "))'
	until_ok sh -c "socat -T2 - TCP:10.77.0.2:80 </dev/null >/dev/null 2>&1"
	[ "$(printf 'GET / HTTP/1.0\r\n\r\n' | socat -T2 - TCP:10.77.0.2:80 | tail -n 1)" = hello-from-podman ]
	[ "$(printf 'GET / HTTP/1.0\r\n\r\n' | socat -T2 - TCP:10.77.0.1:18080 | tail -n 1)" = hello-from-podman ]
	run -0 pod rm -f -t 0 web
	[ "$(ls "$T/data/podnet" | grep -c '^10\.' || true)" -eq 0 ]
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 0 ]
}
