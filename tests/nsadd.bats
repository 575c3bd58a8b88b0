#!/usr/bin/env bats
# nsadd: checked with ip netns, ip -n NS -j link and /proc

bats_require_minimum_version 1.5.0
load helper

@test "nsadd: namespaces are seen by ip netns list" {
	run nsadd a b
	assert_success
	assert_output ""
	run -0 ip -j netns list
	[ "$(jq -r '[.[].name] | sort | join(" ")' <<<"$output")" = "a b" ]
}

@test "nsadd: loopback is up unless --no-lo" {
	nsadd up
	nsadd --no-lo down
	ip -n up -j link show lo | jq -e '.[0].flags | index("UP")'
	ip -n down -j link show lo | jq -e '.[0].flags | index("UP") | not'
}

@test "nsadd: /run/netns is 0755 and a shared mount" {
	nsadd a
	[ "$(stat -c %a /run/netns)" = 755 ]
	grep -E ' /run/netns .*shared:' /proc/self/mountinfo
}

@test "nsadd: the namespace is a new one, not ours" {
	nsadd a
	[ "$(stat -L -c %i /run/netns/a)" != "$(stat -L -c %i /proc/self/ns/net)" ]
	run -0 ip -n a -j link show
	[ "$(jq length <<<"$output")" = 1 ]
}

@test "nsadd: existing name exits 1 with one line" {
	nsadd a
	fails 1 "nsadd: a: File exists" nsadd a
}

@test "nsadd: -e accepts an existing name" {
	ip netns add a
	run nsadd -e a b
	assert_success
	[ "$(ip netns list | wc -l)" = 2 ]
}

@test "nsadd: bad names exit 2 and create nothing" {
	for n in ../x . .. a/b "" "$(printf 'x%.0s' $(seq 256))"; do
		fails 2 "nsadd: $n: invalid namespace name" nsadd "$n"
	done
	[ ! -e /run/netns ] || [ -z "$(ls /run/netns)" ]
	[ ! -e /run/x ] && [ ! -e /x ]
}

@test "nsadd: a bad name anywhere means nothing is created" {
	run nsadd good ../bad
	assert_failure 2
	[ -z "$(ls /run/netns 2>/dev/null)" ]
}

@test "nsadd: missing operand and unknown option exit 2" {
	fails 2 "nsadd: NAME: missing operand" nsadd
	fails 2 "nsadd: --bogus: unknown option" nsadd --bogus a
}

@test "nsadd: 32 parallel adds of one name give one success" {
	for i in $(seq 32); do
		( rc=0; nsadd same 2>"$BATS_TEST_TMPDIR/err.$i" || rc=$?
		  echo $rc >"$BATS_TEST_TMPDIR/rc.$i" ) &
	done
	wait
	[ "$(cat "$BATS_TEST_TMPDIR"/rc.* | grep -c '^0$')" = 1 ]
	[ "$(cat "$BATS_TEST_TMPDIR"/rc.* | grep -c '^1$')" = 31 ]
	[ "$(cat "$BATS_TEST_TMPDIR"/err.* | sort | uniq -c | awk '{print $1, $2, $3, $4, $5}')" = "31 nsadd: same: File exists" ]
	[ "$(ip netns list)" = same ]
	# exactly one bind under /run/netns (no stacked self-binds)
	[ "$(grep -c ' /run/netns/same ' /proc/self/mountinfo)" = 1 ]
	[ "$(grep -c ' /run/netns ' /proc/self/mountinfo)" = 1 ]
}

@test "nsadd: 32 parallel adds of distinct names all succeed" {
	for i in $(seq 32); do nsadd "n$i" & done
	wait
	[ "$(ip netns list | wc -l)" = 32 ]
}

@test "nsadd: --help prints the synopsis" {
	run nsadd --help
	assert_success
	assert_line --index 0 "nsadd [-e] [--no-lo] NAME..."
}
