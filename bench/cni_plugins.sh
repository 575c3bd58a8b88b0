#!/bin/bash
# The CNI plugins themselves, without a runtime: each plugin of the
# conflist chain (bridge with isGateway + ipMasq delegating to host-local,
# then portmap with one mapping and prevResult) executed directly with the
# CNI_* variables and its config on stdin, as libcni does; DEL in reverse
# order with prevResult.  N cycles of ADD then DEL on the same netns, for
# nsbox's links and for the reference plugins (/usr/lib/cni), in one run,
# inside scripts/sandbox.  Prints "nsbox_ms ref_ms shell_ms" per cycle:
# the shell's own cost of a cycle (the same four execs of /bin/true, the
# same here-strings and command substitution) is measured and subtracted.
set -eu
N=${N:-50}
OUT=${OUT:-$(mktemp -d)}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT/cnip-bin" "$OUT/true-bin"
"$root/build/nsbox" --install --cni "$OUT/cnip-bin" 2>/dev/null || true
for p in bridge host-local portmap; do ln -sf /bin/true "$OUT/true-bin/$p"; done
ip netns add pc
export CNI_CONTAINERID=c1 CNI_NETNS=/run/netns/pc CNI_IFNAME=eth0

cycle() {	# DIR DATADIR
	local br pm res
	br='{"cniVersion":"1.0.0","name":"benchnet","type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,"ipam":{"type":"host-local","dataDir":"'$2'","ranges":[[{"subnet":"10.89.0.0/16"}]],"routes":[{"dst":"0.0.0.0/0"}]}'
	pm='{"cniVersion":"1.0.0","name":"benchnet","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]}'
	res=$(CNI_COMMAND=ADD CNI_PATH=$1 "$1/bridge" <<<"$br}")
	[ -n "$res" ] || res='{}'
	CNI_COMMAND=ADD CNI_PATH=$1 "$1/portmap" <<<"$pm,\"prevResult\":$res}" >/dev/null
	CNI_COMMAND=DEL CNI_PATH=$1 "$1/portmap" <<<"$pm,\"prevResult\":$res}" >/dev/null
	CNI_COMMAND=DEL CNI_PATH=$1 "$1/bridge" <<<"$br,\"prevResult\":$res}" >/dev/null
}

# ms per cycle of N cycles
run() {
	local t0 t1 i
	cycle "$1" "$OUT/data-$2"	# warm-up: the bridge exists from here on
	t0=$(date +%s%N)
	for ((i = 0; i < N; i++)); do cycle "$1" "$OUT/data-$2"; done
	t1=$(date +%s%N)
	echo $(((t1 - t0) / N / 1000))
}
# the attachment is gone after every cycle: nothing may be left
check() {
	[ -z "$(ip -n pc -j link | jq -r '.[] | select(.ifname == "eth0") | .ifname')" ]
	[ "$(ls "$OUT/data-$1/benchnet" | grep -c '^10\.' || true)" -eq 0 ]
}
ns=$(run "$OUT/cnip-bin" nsbox); check nsbox
ip link del cni0
ref=$(run /usr/lib/cni ref); check ref
sh=$(run "$OUT/true-bin" true)
awk -v a="$ns" -v b="$ref" -v s="$sh" 'BEGIN {printf "%.3f %.3f %.3f\n", a / 1000, b / 1000, s / 1000}'
