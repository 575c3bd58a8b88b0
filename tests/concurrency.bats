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
	[ -z "$(ip netns list)" ]
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
