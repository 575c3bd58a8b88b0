#!/usr/bin/env bats
# nsdel: checked with ip netns and /proc/self/mountinfo

load helper

@test "nsdel: removes namespaces made by nsadd and by ip netns" {
	nsadd a
	ip netns add b
	run nsdel a b
	assert_success
	assert_output ""
	[ -z "$(ip netns list)" ]
	! grep -q ' /run/netns/a ' /proc/self/mountinfo
}

@test "nsdel: a missing name exits 1, -e accepts it" {
	run --separate-stderr nsdel gone
	assert_failure 1
	[ "$(first_err)" = "nsdel: gone: No such file or directory" ]
	run nsdel -e gone
	assert_success
}

@test "nsdel: bad names exit 2" {
	run --separate-stderr nsdel ../etc
	assert_failure 2
	[ "$(first_err)" = "nsdel: ../etc: invalid namespace name" ]
	run --separate-stderr nsdel
	assert_failure 2
	[ "$(first_err)" = "nsdel: NAME: missing operand" ]
}
