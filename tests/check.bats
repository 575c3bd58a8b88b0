#!/usr/bin/env bats
# scripts/check itself: a skip counts only when tests/skips.allow has its
# case and reason; any other skip fails the run, and the end lists each
# skip with its reason and each stage's time.  Run on a small bats file of
# its own, against a list of its own (SKIPS_ALLOW), in an environment
# without the outer bats run's variables.

load helper

@test "check: a skip not on the allow-list fails the run; the allowed ones are listed with their reasons" {
	local t=$BATS_TEST_TMPDIR
	# (the word that starts a case, not at the start of a line here: bats
	# would take these for cases of this file)
	local at=@test
	printf '%s\n' \
		"$at \"probe: passes\" { true; }" \
		"$at \"probe: allowed skip\" { skip \"the kernel has no frobnicator\"; }" \
		"$at \"probe: other skip\" { skip \"no frobnicator here\"; }" \
		"$at \"probe: allowed reason, other case\" { skip \"the kernel has no frobnicator\"; }" \
		>"$t/probe.bats"
	printf '# a comment\n\nprobe: allowed skip\tthe kernel has no frob.*\n' >"$t/allow"
	run env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin STAGES=bats TESTS="$t/probe.bats" SKIPS_ALLOW="$t/allow" \
		"$BATS_TEST_DIRNAME/../scripts/check" "$NSBOX"
	assert_failure 1
	assert_line "skip  nsbox probe.bats: probe: allowed skip: the kernel has no frobnicator"
	assert_line "  nsbox probe.bats: probe: other skip: skipped, not allowed by $t/allow: no frobnicator here"
	assert_line "  nsbox probe.bats: probe: allowed reason, other case: skipped, not allowed by $t/allow: the kernel has no frobnicator"
	assert_line "skipped (each allowed by $t/allow):"
	assert_line "  nsbox probe.bats: probe: allowed skip: the kernel has no frobnicator"
	assert_line --regexp '^ +[0-9]+ s +[0-9]+ s  bats nsbox$'
	assert_line --index $((${#lines[@]} - 1)) "1 passed, 2 failed, 1 skipped"
	# with the other two allowed too, the run passes
	printf 'probe: .*\tno frobnicator here|the kernel has no frobnicator\n' >>"$t/allow"
	run env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin STAGES=bats TESTS="$t/probe.bats" SKIPS_ALLOW="$t/allow" \
		"$BATS_TEST_DIRNAME/../scripts/check" "$NSBOX"
	assert_success
	assert_line --index $((${#lines[@]} - 1)) "1 passed, 0 failed, 3 skipped"
}

@test "check: every entry of tests/skips.allow is a case and a reason, with a comment" {
	local n=0 c r rc line prev=
	while IFS= read -r line; do
		if [[ -z $line || $line == "#"* ]]; then
			prev=$line
			continue
		fi
		IFS=$'\t' read -r c r <<<"$line"
		[ -n "$c" ] && [ -n "$r" ] || fail "not CASE<TAB>REASON: $line"
		# both are valid extended regular expressions
		rc=0; grep -Eq -- "$c" <<<"" 2>/dev/null || rc=$?
		[ "$rc" -le 1 ] || fail "bad case ERE: $c"
		rc=0; grep -Eq -- "$r" <<<"" 2>/dev/null || rc=$?
		[ "$rc" -le 1 ] || fail "bad reason ERE: $r"
		# an entry follows its comment or another entry
		[[ $prev == "#"* || -n $prev ]] || fail "no comment above: $line"
		prev=$line
		n=$((n + 1))
	done <"$BATS_TEST_DIRNAME/skips.allow"
	[ "$n" -gt 0 ]
}
