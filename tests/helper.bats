#!/usr/bin/env bats
# The error-case helpers of tests/helper.bash (fails, fails_prefix,
# fails_quiet, fails_batch): each passes on what it promises and refuses,
# saying why, on anything else.  Their oracle is the command's own exit
# status and stderr, compared here with plain [ ].

load helper

@test "helper: fails and its siblings pass on the exact status and first line" {
	fails 2 "nsadd: NAME: missing operand" nsadd
	[ "$status" = 2 ] && [ -z "$output" ]
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
