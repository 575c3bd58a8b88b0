#!/bin/bash
# bench/cri.sh (in scripts/sandbox; OUT=DIR N=CYCLES NSBOX=BIN): four private
# containerds side by side, one per plugin directory (nsbox's links, the
# reference plugins) and stack (IPv4, dual stack), each with its own
# network, bridge and subnets, driven in turn by bench/cri.py.  Prints
# "LABEL CALL MEDIAN_MS MIN_MS MAX_MS" lines; LABEL is nsbox-v4, ref-v4,
# nsbox-dual or ref-dual.
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=../tests/cri/helper.bash
. tests/cri/helper.bash
OUT=${OUT:?} N=${N:-10}
mkdir -p "$OUT"
cri_mounts "$OUT"
mkdir -p "$OUT/nsbox-cni"
"${NSBOX:?}" --install -s --cni "$OUT/nsbox-cni"
dirs=() socks=()
trap 'for CT in "${dirs[@]}"; do cri_kill_all; done' EXIT
i=0
for stack in v4 dual; do
	for p in nsbox ref; do
		i=$((i + 1))
		d=/usr/lib/cni
		[ "$p" = nsbox ] && d=$OUT/nsbox-cni
		# the bench's own conflists: no hairpinMode, so IPv6 DAD stays on
		cri_world "$OUT/$p-$stack" "$d" "$stack" false "net$i" "10.9$i.0.0/24" "fd00:9$i::/64" "cbr$i" >/dev/null
		cri_start >/dev/null
		dirs+=("$CT")
		socks+=("$p-$stack=$CT/containerd.sock")
	done
done
bench/cri.py "$N" "${socks[@]}"
