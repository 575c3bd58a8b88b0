#!/bin/bash
# The CNI plugins themselves, without a runtime: each plugin of the
# conflist chain (bridge with isGateway + ipMasq delegating to host-local,
# then portmap with one mapping and prevResult) executed directly with the
# CNI_* variables and its config on stdin, as libcni does; DEL in reverse
# order with prevResult.  N cycles of ADD then DEL, inside scripts/sandbox;
# each cycle runs nsbox's links, the reference plugins (/usr/lib/cni) and a
# shell cycle (the same four execs of /bin/true, the same here-strings and
# command substitution, whose cost is subtracted) and the kernel floor
# (build/cnifloor linked as the three plugins: the same kernel operations
# and process boundaries, no JSON, nothing else) back to back, in turn, so
# that the machine's load falls on all four alike.  Each side has its own
# bridge, subnet, namespace and store.  Prints the medians per cycle,
# "nsbox_ms ref_ms shell_ms floor_ms", on stdout and the median of each
# step on stderr.  Every cycle must leave nothing behind.
set -eu
N=${N:-50}
OUT=${OUT:-$(mktemp -d)}
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$OUT/cnip-bin" "$OUT/true-bin" "$OUT/floor-bin" "$OUT"/data-*
mkdir -p "$OUT/cnip-bin" "$OUT/true-bin" "$OUT/floor-bin"
"$root/build/nsbox" --install --cni "$OUT/cnip-bin" 2>/dev/null || true
for p in bridge host-local portmap; do
	ln -sf /bin/true "$OUT/true-bin/$p"
	ln -sf "$root/build/cnifloor" "$OUT/floor-bin/$p"
done
export FLOORDIR=$OUT/data-floor/benchfloor	# the floor's address store
mkdir -p "$OUT/data-floor"
export CNI_CONTAINERID=c1 CNI_IFNAME=eth0
steps="badd padd pdel bdel"

# cycle NAME DIR SUBNET: one ADD + DEL, each step's microseconds into $OUT/NAME.STEP
cycle() {
	local br pm res t0 t1 t2 t3 t4
	br='{"cniVersion":"1.0.0","name":"bench'$1'","type":"bridge","bridge":"b'$1'","isGateway":true,"ipMasq":true,"ipam":{"type":"host-local","dataDir":"'$OUT/data-$1'","ranges":[[{"subnet":"'$3'"}]],"routes":[{"dst":"0.0.0.0/0"}]}'
	pm='{"cniVersion":"1.0.0","name":"bench'$1'","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]}'
	export CNI_NETNS=/run/netns/$1 CNI_PATH=$2
	t0=$EPOCHREALTIME
	res=$(CNI_COMMAND=ADD "$2/bridge" <<<"$br}")
	t1=$EPOCHREALTIME
	[ -n "$res" ] || res='{}'
	CNI_COMMAND=ADD "$2/portmap" <<<"$pm,\"prevResult\":$res}" >/dev/null
	t2=$EPOCHREALTIME
	CNI_COMMAND=DEL "$2/portmap" <<<"$pm,\"prevResult\":$res}" >/dev/null
	t3=$EPOCHREALTIME
	CNI_COMMAND=DEL "$2/bridge" <<<"$br,\"prevResult\":$res}" >/dev/null
	t4=$EPOCHREALTIME
	set -- "$1" "${t0/./}" "${t1/./}" "${t2/./}" "${t3/./}" "${t4/./}"
	echo $(($3 - $2)) >>"$OUT/$1.badd"
	echo $(($4 - $3)) >>"$OUT/$1.padd"
	echo $(($5 - $4)) >>"$OUT/$1.pdel"
	echo $(($6 - $5)) >>"$OUT/$1.bdel"
	echo $(($6 - $2)) >>"$OUT/$1.all"
}
# the attachment is gone after every cycle: nothing may be left (no rule
# in the table named by $2)
check() {
	[ -z "$(ip -n "$1" -j link | jq -r '.[] | select(.ifname == "eth0") | .ifname')" ]
	[ -z "$(compgen -G "$OUT/data-$1/bench$1/10.*" || true)" ]
	[ -z "$(ip -j link show master "b$1" | jq -r '.[].ifname')" ]
	[ -z "${2-}" ] || [ -z "$(nft -j list table ip "$2" | jq -r '.nftables[].rule.expr // empty')" ]
}
# median in ms of the microsecond values in a file
median() { sort -n "$1" | awk '{v[NR] = $1} END {printf "%.3f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000}'; }

for s in nsbox ref true floor; do ip netns add $s; done
run() {	# one cycle of each, the order turning with i
	local i=$1 k
	for k in 0 1 2 3; do
		case $(((i + k) % 4)) in
		0) cycle nsbox "$OUT/cnip-bin" 10.89.0.0/16; check nsbox nsbox ;;
		1) cycle ref /usr/lib/cni 10.90.0.0/16; check ref ;;
		2) cycle true "$OUT/true-bin" 10.91.0.0/16 ;;
		3) cycle floor "$OUT/floor-bin" 10.92.0.0/16; check floor floor ;;
		esac
	done
}
run 0	# warm-up: the bridges exist from here on
rm -f "$OUT"/{nsbox,ref,true,floor}.*
for ((i = 0; i < N; i++)); do run "$i"; done
for s in nsbox ref true floor; do
	printf '%-6s' "$s" >&2
	for p in $steps; do printf ' %s %7s' "$p" "$(median "$OUT/$s.$p")" >&2; done
	echo >&2
done
echo "$(median "$OUT/nsbox.all") $(median "$OUT/ref.all") $(median "$OUT/true.all") $(median "$OUT/floor.all")"
