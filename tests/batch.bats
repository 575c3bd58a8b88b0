#!/usr/bin/env bats
# nsbox -b: one applet per line in one process; checked with ip netns

load helper

@test "batch: runs every line, skipping blanks and comments" {
	printf '# a comment\n\nnsadd a\n  nsadd "b"\nnsadd '"'"'c'"'"'\n' >"$BATS_TEST_TMPDIR/f"
	run nsbox -b "$BATS_TEST_TMPDIR/f"
	assert_success
	assert_output ""
	[ "$(ip netns list | sort | tr '\n' ' ')" = "a b c " ]
}

@test "batch: reads stdin with -" {
	run sh -c 'printf "nsadd x\nnslist\n" | nsbox -b -'
	assert_success
	assert_output x
	ip netns list | grep -qx x
}

@test "batch: stops at the first failing line with FILE:LINE:" {
	fails_batch 1 "2: nsadd: a: File exists" "nsadd a" "nsadd a" "nsadd b"
	[ "$(ip netns list)" = a ]
}

@test "batch: -f goes on and exits 1 at the end" {
	fails_batch -f 1 "2: nsadd: ../bad: invalid namespace name" "nsadd a" "nsadd ../bad" "nsadd b"
	[ "$(ip netns list | sort | tr '\n' ' ')" = "a b " ]
}

@test "batch: a usage error stops with status 2, an unknown applet 127" {
	fails_batch 2 "1: nsadd: NAME: missing operand" "nsadd"
	fails_batch 127 "1: nsbox: frob: applet not found" "frob x"
}

@test "batch: an unterminated quote is a usage error" {
	fails_batch 2 "1: nsbox: unterminated quote" 'nsadd "a'
	nothing ip netns list
}

@test "batch: nsexec runs and the batch goes on after it" {
	printf 'nsadd a\nnsexec a sh -c "echo inside"\nnsadd b\n' >"$BATS_TEST_TMPDIR/f"
	run nsbox -b "$BATS_TEST_TMPDIR/f"
	assert_success
	assert_output inside
	[ "$(ip netns list | sort | tr '\n' ' ')" = "a b " ]
	# the batch process itself never entered a (its mount and net ns are ours)
	[ "$(readlink /proc/self/ns/net)" != "net:[$(stat -L -c %i /run/netns/a)]" ]
}

@test "batch: delete and re-add of one name in one batch" {
	printf 'nsadd a\nnsdel a\nnsadd a\nnsdel a\nnsadd a\n' >"$BATS_TEST_TMPDIR/f"
	run nsbox -b "$BATS_TEST_TMPDIR/f"
	assert_success
	[ "$(ip netns list)" = a ]
	ip -n a -j link show lo | jq -e '.[0].flags | index("UP")'
}

@test "batch: a missing file exits 1, a missing -b argument 2" {
	fails 1 "nsbox: /nonexistent: No such file or directory" nsbox -b /nonexistent
	run --separate-stderr nsbox -b
	assert_failure 2
}

@test "batch: 500 namespaces in one batch" {
	for i in $(seq 500); do echo "nsadd n$i"; done >"$BATS_TEST_TMPDIR/f"
	run nsbox -b "$BATS_TEST_TMPDIR/f"
	assert_success
	[ "$(ip netns list | wc -l)" = 500 ]
	ip -n n500 -j link show lo | jq -e '.[0].flags | index("UP")'
}

@test "batch: the kernel's text of one line is never printed beside a later line's error" {
	nsadd a
	bradd br0 10.1.0.1/24
	# line 1 fails in the kernel with EEXIST and an extended-ack text;
	# line 2 fails with EEXIST too, without asking the kernel anything
	f=$BATS_TEST_TMPDIR/batch
	printf '%s\n' "ipaddr add 10.1.0.1/24 dev br0" "nsadd a" >"$f"
	run --separate-stderr nsbox -f -b "$f"
	[ "$status" -eq 1 ]
	[ "$(sed -n 1p <<<"$stderr")" = "$f:1: ipaddr: 10.1.0.1/24: File exists: ipv4: Address already assigned" ]
	[ "$(sed -n 2p <<<"$stderr")" = "$f:2: nsadd: a: File exists" ]
}
