#!/usr/bin/env bats
# Rollback: every multi-step applet made to fail at each later step leaves
# nothing it made (checked with ip -j in every namespace involved), and
# never removes what existed before it ran.

load helper

links_in() {	# the sorted link names in namespace $1 ("" = here)
	ip ${1:+-n "$1"} -j link show | jq -r '[.[].ifname] | sort | join(" ")'
}

@test "rollback: vethadd fails at NAME's address" {
	nsadd a b
	run vethadd -a ff02::1/64 -A 10.0.0.2/24 a:x b:y
	assert_failure 1
	[ "$(links_in a)" = lo ]
	[ "$(links_in b)" = lo ]
	[ "$(links_in "")" = lo ]
}

@test "rollback: vethadd fails at PEER's address" {
	nsadd a b
	run vethadd -a 10.0.0.1/24 -A ff02::1/64 a:x b:y
	assert_failure 1
	[ "$(links_in a)" = lo ]
	[ "$(links_in b)" = lo ]
	# and NAME's address went with it
	[ "$(ip -n a -j addr show | jq '[.[].addr_info[] | select(.local == "10.0.0.1")] | length')" = 0 ]
}

@test "rollback: vethadd fails at -m (missing bridge, then a non-bridge)" {
	nsadd a
	run vethadd -a 10.0.0.1/24 -A 10.0.0.2/24 -m nosuchbr a:x y
	assert_failure 1
	[ "$(links_in a)" = lo ]
	[ "$(links_in "")" = lo ]
	ip link add notabridge type veth peer name notabridge2
	run vethadd -m notabridge a:x y
	assert_failure 1
	[ "$(links_in a)" = lo ]
	[ "$(links_in "")" = "lo notabridge notabridge2" ]
}

@test "rollback: vethadd -e never deletes a pair that existed before" {
	nsadd a
	ip link add x type veth peer name y netns a
	run vethadd -e -m nosuchbr x a:y
	assert_failure 1
	[ "$(links_in "")" = "lo x" ]
	[ "$(links_in a)" = "lo y" ]
}

@test "rollback: bradd fails at its second address" {
	run bradd br9 10.0.0.1/24 ff02::1/64
	assert_failure 1
	[ "$(links_in "")" = lo ]
}

@test "rollback: bradd -e never deletes a bridge that existed before" {
	ip link add br9 type bridge
	run bradd -e br9 ff02::1/64
	assert_failure 1
	[ "$(links_in "")" = "br9 lo" ]
}

@test "rollback: nsadd with a later name failing removes the earlier ones" {
	ip netns add taken
	run nsadd new1 new2 taken new3
	assert_failure 1
	[ "$(ip netns list | awk '{print $1}')" = taken ]
	! grep -q ' /run/netns/new1 ' /proc/self/mountinfo || false
}

@test "rollback: nsadd -e keeps what existed and what it made" {
	ip netns add taken
	run nsadd -e new1 taken
	assert_success
	[ "$(ip netns list | awk '{print $1}' | sort | tr '\n' ' ')" = "new1 taken " ]
}
