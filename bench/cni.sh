#!/bin/bash
# ADD then DEL of the same conflist (bridge + isGateway + ipMasq,
# host-local, portmap with one mapping) through Debian's libcni runtime
# (build/cni-runtime), as containerd or podman would drive it: nsbox's
# links against the reference plugins (/usr/lib/cni), inside
# scripts/sandbox.  N cycles; each cycle runs one side then the other, the
# order turning, so that the machine's load falls on both alike; each side
# has its own bridge, subnet, namespace, store and libcni cache.  The
# runtime's own cost (a Go program, its cache files) is in both.  Prints
# the medians per cycle, "nsbox_ms ref_ms", and checks that every cycle
# left nothing behind.
set -eu
N=${N:-30}
# shellcheck source=bench/cni_setup.sh
. "$(dirname "$0")/cni_setup.sh"
rm -rf "$OUT"/data-* "$OUT"/cache-* "$OUT"/lib-*
cni_links "$OUT/cni-bin"
pm='[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]'
for s in nsbox ref; do
	net=10.89.0.0/16
	[ $s = nsbox ] || net=10.90.0.0/16
	cni_conflist "$OUT/$s.conflist" "bench$s" "b$s" $net "$OUT/data-$s" '[{"dst":"0.0.0.0/0"}]'
	ip netns add $s
done

cycle() {	# NAME DIR
	local t0 t1
	t0=$EPOCHREALTIME
	CNI_CACHE=$OUT/cache-$1 CNI_PATH=$2 "$rt" add "$OUT/$1.conflist" c1 /run/netns/$1 eth0 "$pm" >/dev/null
	CNI_CACHE=$OUT/cache-$1 CNI_PATH=$2 "$rt" del "$OUT/$1.conflist" c1 /run/netns/$1 eth0
	t1=$EPOCHREALTIME
	echo $((${t1/./} - ${t0/./})) >>"$OUT/lib-$1"
	[ -z "$(ip -n "$1" -j link | jq -r '.[] | select(.ifname == "eth0") | .ifname')" ]
	[ -z "$(compgen -G "$OUT/data-$1/bench$1/10.*" || true)" ]
}
median() { sort -n "$1" | awk '{v[NR] = $1} END {printf "%.3f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000}'; }

cycle nsbox "$OUT/cni-bin"
cycle ref /usr/lib/cni
rm -f "$OUT"/lib-*
for ((i = 0; i < N; i++)); do
	if ((i % 2)); then
		cycle ref /usr/lib/cni
		cycle nsbox "$OUT/cni-bin"
	else
		cycle nsbox "$OUT/cni-bin"
		cycle ref /usr/lib/cni
	fi
done
echo "$(median "$OUT/lib-nsbox") $(median "$OUT/lib-ref")"
