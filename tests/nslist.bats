#!/usr/bin/env bats
# nslist: checked against ip netns add

bats_require_minimum_version 1.5.0
load helper

@test "nslist: lists namespaces from ip netns add, sorted" {
	ip netns add zeta
	ip netns add alpha
	run nslist
	assert_success
	assert_output "$(printf 'alpha\nzeta')"
}

@test "nslist: -j has ip -j netns keys" {
	ip netns add c
	nsadd d
	run nslist -j
	assert_success
	[ "$(jq -c '[.[].name]' <<<"$output")" = '["c","d"]' ]
}

@test "nslist: nothing when /run/netns does not exist" {
	run nslist
	assert_success
	assert_output ""
	run -0 nslist -j
	assert_output "[]"
}

@test "nslist: an operand is a usage error" {
	fails 2 "nslist: x: unexpected argument" nslist x
}
