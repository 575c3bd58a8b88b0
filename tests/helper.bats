#!/usr/bin/env bats
# The error-case helpers of tests/helper.bash (fails, fails_prefix,
# fails_quiet, fails_batch), the checks for nothing (nothing, jqr,
# store_ips, engine_leftovers) and for traffic that must not pass
# (blocked): each passes on what it promises and refuses, saying why, on
# anything else, an oracle that fails included.  Their
# oracle is the command's own exit status and output, compared here with
# plain [ ].

load helper
load engine

@test "helper: fails and its siblings pass on the exact status and first line" {
	fails 2 "nsadd: NAME: missing operand" nsadd
	[ "$status" = 2 ]
	[ -z "$output" ]
	fails_prefix 2 "nsadd: NAME: " nsadd
	fails_quiet 2 "nsadd: NAME: missing operand" nsadd
	fails_batch 1 "2: nsadd: a: File exists" "nsadd a" "nsadd a"
	[ "$(ip netns list)" = a ]
	fails 3 "one" sh -c 'echo one >&2; echo two >&2; exit 3'
}

@test "helper: fails refuses another status and says which" {
	run fails 1 "nsadd: NAME: missing operand" nsadd
	assert_failure 1
	assert_line -- "-- fails: exit status --"
	assert_line "status  : 2, want 1"
	run fails 0 "" true
	assert_success
	run fails 1 "" true
	assert_failure 1
	assert_line "status  : 0, want 1"
}

@test "helper: fails refuses another first line, a mere prefix, a later line" {
	run fails 2 "nsadd: NAME: missing" nsadd
	assert_failure 1
	assert_line -- "-- fails: first line of stderr --"
	assert_line "stderr  : nsadd: NAME: missing operand"
	assert_line "want    : nsadd: NAME: missing"
	run fails 3 "two" sh -c 'echo one >&2; echo two >&2; exit 3'
	assert_failure 1
	assert_line "  stderr: two"
	run fails_prefix 2 "nsadd: NAMES" nsadd
	assert_failure 1
	assert_line -- "-- fails: start of stderr --"
	assert_line "want    : nsadd: NAMES... (prefix)"
	run fails 9 "nope" nsadd
	assert_failure 1
	assert_line -- "-- fails: exit status, first line of stderr --"
}

@test "helper: fails_quiet refuses output on stdout; fails_batch shows its file" {
	run fails 4 "e" sh -c 'echo out; echo e >&2; exit 4'
	assert_success
	run fails_quiet 4 "e" sh -c 'echo out; echo e >&2; exit 4'
	assert_failure 1
	assert_line -- "-- fails: stdout not empty --"
	assert_line "  stdout: out"
	run fails_batch 1 "1: nsadd: a: File exists" "nsadd a" "nsadd a"
	assert_failure 1
	assert_line "stderr  : $BATS_TEST_TMPDIR/batch:2: nsadd: a: File exists"
	assert_line "     2	nsadd a"
}

# an nft that cannot answer
broken_nft() { nft() { echo "nft: broken" >&2; return 1; }; }

@test "helper: nothing passes on silence only; an oracle that fails is not silence" {
	nothing true
	run nothing echo left
	assert_failure 1
	run nothing false
	assert_failure 1
	assert_output "nothing: false : status 1, printed:"
	broken_nft
	run nothing nft list ruleset
	assert_failure 1
}

@test "helper: jqr fails with its command, where a pipe into jq would not" {
	[ "$(jqr '.[].ifname' ip -j link show lo)" = lo ]
	[ "$(jqr '.[0] | {ifname}' ip -j link show lo)" = '{"ifname":"lo"}' ]
	broken_nft
	[ -z "$(nft -j list ruleset | jq -r .)" ]	# the pipe: silent and successful
	run nothing jqr '.nftables[] | select(.rule)' nft -j list ruleset
	assert_failure 1
}

@test "helper: store_ips: the addresses of a store; no store is no answer" {
	local d=$BATS_TEST_TMPDIR/store
	run nothing store_ips "$d"
	assert_failure 1
	mkdir "$d"
	nothing store_ips "$d"
	touch "$d/lock" "$d/last_reserved_ip.0"
	nothing store_ips "$d"
	touch "$d/10.88.0.2" "$d/fd00::2"
	[ "$(store_ips "$d" | sort | tr '\n' ' ')" = "10.88.0.2 fd00::2 " ]
}

@test "helper: engine_leftovers names what is left, and an oracle that failed" {
	engine_nothing_left engine_leftovers "$BATS_TEST_TMPDIR/none" 10.88.0.9
	ip netns add left
	nft add table ip t
	nft add chain ip t c
	nft add rule ip t c ip saddr 10.88.0.9 accept
	run engine_leftovers "$BATS_TEST_TMPDIR/none" 10.88.0.9
	assert_line "netns: left"
	assert_line --partial 'rule: ip t c [{"match":'
	assert_line --regexp '^rule naming 10.88.0.9:[[:space:]]+ip saddr 10.88.0.9 accept$'
	ip netns del left
	nft delete table ip t
	engine_nothing_left engine_leftovers "$BATS_TEST_TMPDIR/none"
	broken_nft
	run engine_nothing_left engine_leftovers "$BATS_TEST_TMPDIR/none"
	assert_failure 1
	assert_line "failed: nft -j list ruleset"
	unset -f nft
	ip() { return 1; }
	run engine_leftovers "$BATS_TEST_TMPDIR/none"
	assert_line "failed: ip -d -j link"
}

@test "helper: blocked passes on the failure named only; a broken probe is not blocked" {
	ip link set lo up
	blocked "Connection refused" socat -T1 - TCP:127.0.0.1:9,connect-timeout=1
	socat TCP-LISTEN:9,bind=127.0.0.1,fork,reuseaddr SYSTEM:'echo up' &
	until_ok sh -c "ss -Htln 'sport = :9' | grep -q LISTEN"
	run blocked "Connection refused" socat -T1 - TCP:127.0.0.1:9,connect-timeout=1
	assert_failure 1
	assert_line --partial 'status 0, want a failure saying "Connection refused"'
	assert_line up
	kill %1
	# the probe's own errors: an unknown address type, a missing namespace
	run blocked "Connection refused" socat -T1 - TCPX:127.0.0.1:9
	assert_failure 1
	assert_line --partial 'unknown device/address "TCPX"'
	run blocked "Connection refused" ip netns exec nope socat -T1 - TCP:127.0.0.1:9
	assert_failure 1
	assert_line --partial "status 255"
	run blocked "Connection timed out" socat -T1 - TCP:127.0.0.1:9,connect-timeout=1
	assert_failure 1
}
