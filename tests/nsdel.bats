#!/usr/bin/env bats
# nsdel: checked with ip netns and /proc/self/mountinfo

load helper

@test "nsdel: removes namespaces made by nsadd and by ip netns" {
	nsadd a
	ip netns add b
	run nsdel a b
	assert_success
	assert_output ""
	nothing ip netns list
	! grep -q ' /run/netns/a ' /proc/self/mountinfo || false
}

@test "nsdel: a missing name exits 1, -e accepts it" {
	fails 1 "nsdel: gone: No such file or directory" nsdel gone
	run nsdel -e gone
	assert_success
}

@test "nsdel: bad names exit 2" {
	fails 2 "nsdel: ../etc: invalid namespace name" nsdel ../etc
	fails 2 "nsdel: NAME: missing operand" nsdel
}
