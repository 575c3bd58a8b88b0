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
	! grep -q ' /run/netns/n' /proc/self/mountinfo
}

@test "concurrency: parallel batches into distinct namespaces" {
	for b in 1 2 3 4; do
		for i in $(seq 10); do echo "nsadd b$b-$i"; done >"$BATS_TEST_TMPDIR/f$b"
	done
	for b in 1 2 3 4; do nsbox -b "$BATS_TEST_TMPDIR/f$b" & done
	wait
	[ "$(ip netns list | wc -l)" = 40 ]
}
