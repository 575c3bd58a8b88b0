#!/usr/bin/env bats
# Many nsbox processes at once: results checked with ip -j and nft -j.

load helper

@test "concurrency: 32 parallel vethadd into one bridge" {
	ip link add br0 type bridge
	ip link set br0 up
	for i in $(seq 32); do
		ip netns add "n$i"
	done
	for i in $(seq 32); do
		vethadd -a "10.30.0.$((i + 1))/24" -m br0 "n$i:eth0" "v$i" &
	done
	wait
	[ "$(ip -j link show master br0 | jq length)" = 32 ]
	for i in $(seq 32); do
		ip -n "n$i" -j addr show eth0 | jq -e ".[0].addr_info[0].local == \"10.30.0.$((i + 1))\""
	done
}

@test "concurrency: 32 parallel nsdel of 32 names, then nothing is left" {
	for i in $(seq 32); do ip netns add "n$i"; done
	for i in $(seq 32); do nsdel "n$i" & done
	wait
	nothing ip netns list
	! grep -q ' /run/netns/n' /proc/self/mountinfo || false
}

@test "concurrency: parallel batches into distinct namespaces" {
	for b in 1 2 3 4; do
		for i in $(seq 10); do echo "nsadd b$b-$i"; done >"$BATS_TEST_TMPDIR/f$b"
	done
	for b in 1 2 3 4; do nsbox -b "$BATS_TEST_TMPDIR/f$b" & done
	wait
	[ "$(ip netns list | wc -l)" = 40 ]
}

# nft -j: how many rules of table ip nsbox are in chain $1
nsbox_rules() {
	nft -j list ruleset | jq "[.nftables[] | select(.rule.table == \"nsbox\" and .rule.chain == \"$1\")] | length"
}

@test "concurrency: 64 parallel natdnat adds, then 64 parallel deletes" {
	pids=()
	for p in $(seq 8001 8064); do natdnat "$p" 10.10.0.10 & pids+=($!); done
	for p in "${pids[@]}"; do wait "$p"; done
	[ "$(nsbox_rules prerouting)" = 64 ]
	[ "$(nsbox_rules output)" = 64 ]
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule) | .rule.comment] | unique | length')" = 64 ]
	pids=()
	for p in $(seq 8001 8064); do natdnat -d "$p" 10.10.0.10 & pids+=($!); done
	for p in "${pids[@]}"; do wait "$p"; done
	[ "$(nsbox_rules prerouting)" = 0 ]
	[ "$(nsbox_rules output)" = 0 ]
}

@test "concurrency: 16 parallel natdnat -e of one forward make it once; without -e one wins" {
	pids=()
	for i in $(seq 16); do natdnat -e 198.51.100.1:8000 10.10.0.10 & pids+=($!); done
	for p in "${pids[@]}"; do wait "$p"; done
	[ "$(nsbox_rules prerouting)" = 1 ]
	[ "$(nsbox_rules output)" = 1 ]
	nft flush ruleset
	pids=()
	for i in $(seq 16); do
		natdnat 198.51.100.1:8000 10.10.0.10 2>>"$BATS_TEST_TMPDIR/err" & pids+=($!)
	done
	ok=0
	for p in "${pids[@]}"; do ! wait "$p" || ok=$((ok + 1)); done
	echo "ok=$ok"
	[ "$ok" = 1 ]
	[ "$(sort -u "$BATS_TEST_TMPDIR/err")" = "natdnat: 198.51.100.1:8000: File exists" ]
	[ "$(nsbox_rules prerouting)" = 1 ]
	[ "$(nsbox_rules output)" = 1 ]
}

# batches FILE...: nf_tables transactions (NFNL_MSG_BATCH_BEGIN sent) in
# each strace -ff file, one count a line
batches() { for f in "$@"; do grep -c NFNL_MSG_BATCH_BEGIN "$f" || true; done; }

@test "concurrency: 32 parallel pods through libcni, ADD then DEL: every address, veth and rule accounted for, no transaction retried more than a few times" {
	rt=$BATS_TEST_DIRNAME/../build/cni-runtime
	[ -x "$rt" ] || fail "build/cni-runtime missing (make build/cni-runtime)"
	plug=$BATS_TEST_TMPDIR/cni data=$BATS_TEST_TMPDIR/data t=$BATS_TEST_TMPDIR
	mkdir -p "$plug" "$t/add" "$t/del"
	"$NSBOX" --install -s --cni "$plug"
	cat > "$t/net.conflist" <<X
{"cniVersion":"1.0.0","name":"par","plugins":[
 {"type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,
  "ipam":{"type":"host-local","dataDir":"$data","ranges":[[{"subnet":"10.77.0.0/16"}]]}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
X
	for i in $(seq 32); do ip netns add "p$i"; done
	# pods I: ADD (C add) or DEL (C del) of all 32 at once, every process traced
	pods() {
		strace -f -ff -qq -e trace=sendto,sendmsg -o "$t/$1/tr" bash -c '
			for i in $(seq 32); do
				CNI_CACHE=$0/cache CNI_PATH=$1 "$2" "$3" "$0/net.conflist" "p$i" "/run/netns/p$i" eth0 \
					"[{\"hostPort\":$((20000 + i)),\"containerPort\":80,\"protocol\":\"tcp\"}]" > "$0/$3.$i" &
			done
			wait' "$t" "$plug" "$rt" "$1"
	}
	pods add
	[ "$(cat "$t"/add.* | jq -s 'map(select(.ips)) | length')" = 32 ]
	# each pod: its address in its namespace, its veth on cni0, its file
	# in the store, its rules (masquerade, two DNATs, hairpin, localnet:
	# 127.0.0.1:hostPort) by comment, and the node's one guard rule
	[ "$(cat "$t"/add.* | jq -r '.ips[0].address' | sort -u | wc -l)" = 32 ]
	[ "$(ip -j link show master cni0 | jq length)" = 32 ]
	for i in $(seq 32); do
		a=$(jq -r '.ips[0].address' "$t/add.$i")
		ip -n "p$i" -j addr show eth0 | jq -e --arg a "${a%/*}" '.[0].addr_info[] | select(.local == $a)'
		[ "$(cat "$data/par/${a%/*}")" = "p$i"$'\r\neth0' ]
	done
	[ "$(ls "$data/par" | grep -c '^10\.')" = 32 ]
	comments=$(nft -j list ruleset | jq -r '.nftables[] | select(.rule) | "\(.rule.chain) \(.rule.comment)"' | sort)
	[ "$(wc -l <<<"$comments")" = 161 ]
	for i in $(seq 32); do
		[ "$(grep -c " p$i eth0 " <<<"$comments")" = 5 ]
	done
	# transactions: a pod's bridge makes one, its portmap three, and one
	# more for the node's guard while it is absent (made with its own chain,
	# NLM_F_EXCL: the first pods race for it, one wins, each loser sees it
	# made; no generation to lose, so no retry).  Seen: 129-130 in all.
	mapfile -t n < <(batches "$t"/add/tr.* | sort -n)
	total=0; for x in "${n[@]}"; do total=$((total + x)); done
	echo "ADD: $total transactions, at most ${n[-1]} in one process"
	[ "${n[-1]}" -le 4 ]
	[ "$total" -ge 128 ]	# each pod's four at least: strace saw them
	[ "$total" -le 160 ]
	pods del
	nothing cat "$t"/del.*
	[ "$(ip -j link show master cni0 | jq length)" = 0 ]
	nothing jqr '.[] | select(.ifname | startswith("veth")) | .ifname' ip -j link
	for i in $(seq 32); do [ "$(ip -n "p$i" -j link | jq length)" = 1 ]; done
	nothing store_ips "$data/par"
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" = 0 ]
	# and the tail went: no guard chain, no nsbox table in either family
	[ "$(nft -j list tables | jq '[.nftables[] | select(.table.name == "nsbox")] | length')" = 0 ]
	mapfile -t n < <(batches "$t"/del/tr.* | sort -n)
	total=0; for x in "${n[@]}"; do total=$((total + x)); done
	echo "DEL: $total transactions, at most ${n[-1]} in one process"
	# each plugin's DEL takes its own rules in one unconditioned
	# transaction; the last ones also take the guard (with its chain) or an
	# emptied table, conditioned.  A tail that loses to a commit taking a
	# peer's rule is left to that peer (it looks again after its commit);
	# own rules that lost with the tail go alone, unconditioned.  Seen
	# (2026-12-06, 72 runs two at a time): 64-108 in all, at most 2-3 in
	# one process, 5 once.  Before that yield it was 5-8 in one process in
	# a fifth of the runs, and 9 in a CI run (each deleter finishing at
	# once made every conditioned tail lose one more round).
	[ "${n[-1]}" -le 8 ]
	[ "$total" -ge 64 ]
	[ "$total" -le 128 ]
}
