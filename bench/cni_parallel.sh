#!/bin/bash
# Parallel pods: P containers' ADD at once, then their DEL at once (bridge
# with isGateway + ipMasq, host-local, portmap with one mapping each),
# through Debian's libcni runtime (build/cni-runtime) as containerd would
# drive them, nsbox's links against the reference plugins (/usr/lib/cni),
# inside scripts/sandbox.  R rounds for each P in PODS, the two sides in
# turn (the order changing each round), each side with its own bridge,
# subnet, namespaces, store and cache.  Prints one line per P, "P
# nsbox_add_ms ref_add_ms nsbox_del_ms ref_del_ms" (medians of the wall
# time of all P at once), and checks every round left nothing behind.
set -eu
R=${R:-5}
PODS=${PODS:-16 32}
# shellcheck source=bench/cni_setup.sh
. "$(dirname "$0")/cni_setup.sh"
rm -rf "$OUT"/par-*
cni_links "$OUT/par-bin"
max=0
for p in $PODS; do ((p > max)) && max=$p; done
for s in nsbox ref; do
	net=10.93.0.0/16
	[ $s = nsbox ] || net=10.94.0.0/16
	cni_conflist "$OUT/par-$s.conflist" "par$s" "p$s" $net "$OUT/par-data-$s"
	for ((i = 1; i <= max; i++)); do ip netns add "$s$i"; done
done

# side NAME DIR CMD P: CMD (add|del) of P pods at once; prints microseconds
side() {
	local t0 t1 i
	t0=$EPOCHREALTIME
	for ((i = 1; i <= $4; i++)); do
		CNI_CACHE=$OUT/par-cache-$1 CNI_PATH=$2 "$rt" "$3" "$OUT/par-$1.conflist" "c$i" "/run/netns/$1$i" eth0 \
			"[{\"hostPort\":$((30000 + i)),\"containerPort\":80,\"protocol\":\"tcp\"}]" >/dev/null &
	done
	wait
	t1=$EPOCHREALTIME
	echo $((${t1/./} - ${t0/./}))
}
# round NAME DIR P: ADD and DEL timed; nothing of the pods may be left
round() {
	side "$1" "$2" add "$3" >>"$OUT/par-$1-$3.add"
	[ "$(ls "$OUT/par-data-$1/par$1" | grep -c '^10\.')" = "$3" ]
	side "$1" "$2" del "$3" >>"$OUT/par-$1-$3.del"
	[ "$(ls "$OUT/par-data-$1/par$1" | grep -c '^10\.')" = 0 ]
	[ -z "$(ip -j link show master "p$1" | jq -r '.[].ifname')" ]
}
median() { sort -n "$1" | awk '{v[NR] = $1} END {printf "%.1f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000}'; }

for p in $PODS; do
	round nsbox "$OUT/par-bin" "$p"	# warm-up: the bridges exist from here on
	round ref /usr/lib/cni "$p"
	rm -f "$OUT"/par-*-"$p".*
	for ((k = 0; k < R; k++)); do
		if ((k % 2)); then
			round ref /usr/lib/cni "$p"
			round nsbox "$OUT/par-bin" "$p"
		else
			round nsbox "$OUT/par-bin" "$p"
			round ref /usr/lib/cni "$p"
		fi
	done
	echo "$p $(median "$OUT/par-nsbox-$p.add") $(median "$OUT/par-ref-$p.add")" \
		"$(median "$OUT/par-nsbox-$p.del") $(median "$OUT/par-ref-$p.del")"
done
