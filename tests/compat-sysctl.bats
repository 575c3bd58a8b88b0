#!/usr/bin/env bats
# nsbox as sysctl, differentially against procps's sysctl: the same
# arguments, the same stdout, exit status and /proc/sys afterwards.

load helper
load compat
bats_require_minimum_version 1.5.0

setup_world() {
	compat_dir
}

# both: run the real sysctl and nsbox's with the same arguments, from the
# same /proc/sys values; compare stdout, status and the values after
both() {
	local keys="net.ipv4.ip_forward net.ipv4.conf.all.rp_filter net.ipv4.conf.lo.forwarding"
	local reset="net.ipv4.ip_forward=0 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.lo.forwarding=0"
	local k r1=0 r2=0 o1 o2 s1 s2
	/usr/sbin/sysctl -qw $reset
	o1=$(/usr/sbin/sysctl "$@" 2>/dev/null) || r1=$?
	s1=$(for k in $keys; do /usr/sbin/sysctl -n $k; done)
	/usr/sbin/sysctl -qw $reset
	o2=$("$CDIR/sysctl" "$@" 2>/dev/null) || r2=$?
	s2=$(for k in $keys; do /usr/sbin/sysctl -n $k; done)
	[ "$o1" = "$o2" ] || { echo "stdout: [$o1] [$o2]"; return 1; }
	[ "$r1" = "$r2" ] || { echo "status: $r1 $r2"; return 1; }
	[ "$s1" = "$s2" ] || { echo "state: [$s1] [$s2]"; return 1; }
}

@test "compat sysctl: reads, writes, -n -q -w -e, slashes, several keys, directories" {
	while IFS= read -r line; do
		# shellcheck disable=SC2086
		both $line || { echo "sysctl $line"; return 1; }
	done <<'L'
net.ipv4.ip_forward
-n net.ipv4.ip_forward
net/ipv4/ip_forward
-w net.ipv4.ip_forward=1
net.ipv4.ip_forward=1
-qw net.ipv4.ip_forward=1
-q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=2
-n -w net.ipv4.conf.lo.forwarding=1
net.ipv4.conf.lo/forwarding
net/ipv4/conf/lo/forwarding=1
nope.x
-e nope.x
-e -w net.nope.x=1 net.ipv4.ip_forward=1
net.ipv4.ip_forward=7
net.ipv4.ip_forward=abc
net.ipv4.conf.lo
-n net.ipv4.conf.lo
L
}

@test "compat sysctl: -p FILE and -p with the file after it, comments and blanks" {
	printf 'net.ipv4.ip_forward = 1\n# c\n; d\n\n  net.ipv4.conf.all.rp_filter=2 \n' >"$BATS_TEST_TMPDIR/s.conf"
	both -p "$BATS_TEST_TMPDIR/s.conf"
	both -p"$BATS_TEST_TMPDIR/s.conf"
	both -q -p "$BATS_TEST_TMPDIR/s.conf"
	both -p "$BATS_TEST_TMPDIR/none.conf"
}

@test "compat sysctl: the seed's sysctl -qw in a namespace through ip netns exec" {
	"$CDIR/ip" netns add s
	PATH="$CDIR" "$CDIR/ip" netns exec s sysctl -qw net.ipv4.ip_forward=1
	[ "$(/usr/sbin/ip netns exec s cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
}

@test "compat sysctl: options outside the subset exit 2 with one line" {
	run --separate-stderr "$CDIR/sysctl" -r ip_forward
	[ "$status" = 2 ]
	[ "$stderr" = "sysctl: -r: option not supported by nsbox" ]
}

@test "compat sysctl: -w of a write-only key, written without reading first" {
	both -w net.ipv4.route.flush=1
	both net.ipv4.route.flush=1
	both -q -w net.ipv4.route.flush=1 net.ipv4.ip_forward=1
	printf 'net.ipv4.route.flush = 1\nnet.ipv4.ip_forward=1\n' >"$BATS_TEST_TMPDIR/f.conf"
	both -p "$BATS_TEST_TMPDIR/f.conf"
	both net.ipv4.route.flush
	both -n net.ipv4.route.flush net.ipv4.ip_forward
	run "$CDIR/sysctl" -w net.ipv4.route.flush=1
	[ "$status" = 0 ] && [ "$output" = "net.ipv4.route.flush = 1" ]
}

@test "compat sysctl: KEY=VALUE of any length is written whole, never cut (the kernel refuses it)" {
	local zeros
	zeros=$(printf '0%.0s' $(seq 300))
	both -w "net.ipv4.conf.lo.forwarding=${zeros}1"
	both "net.ipv4.ip_forward=${zeros}1"
	both -w "net.ipv4.conf.lo.forwarding=${zeros}" net.ipv4.ip_forward=1
	both "net.ipv4.conf.$(printf 'x%.0s' $(seq 300)).forwarding=1"
	printf 'net.ipv4.conf.lo.forwarding = %s1\nnet.ipv4.ip_forward = 1\n' "$(printf '0%.0s' $(seq 5000))" \
		>"$BATS_TEST_TMPDIR/long.conf"
	both -p "$BATS_TEST_TMPDIR/long.conf"
	printf 'net.ipv4.conf.lo.forwarding = %s1\n' "$(printf ' %.0s' $(seq 6000))" >"$BATS_TEST_TMPDIR/sp.conf"
	both -p "$BATS_TEST_TMPDIR/sp.conf"
	[ "$(cat /proc/sys/net/ipv4/conf/lo/forwarding)" = 1 ]
}

@test "compat sysctl: -p of a 1 GB sparse file ends, as procps's; NUL bytes end a line" {
	truncate -s 1G "$BATS_TEST_TMPDIR/sparse"
	run timeout 60 "$CDIR/sysctl" -p "$BATS_TEST_TMPDIR/sparse"
	[ "$status" = 0 ]
	[ -z "$output" ]
	printf 'net.ipv4.conf.lo.forwarding = 1\n\0\0junk\nnet.ipv4.ip_forward\0 = 7\nnet.ipv4.conf.all.rp_filter = 2\0x\n' \
		>"$BATS_TEST_TMPDIR/nul.conf"
	both -p "$BATS_TEST_TMPDIR/nul.conf"
	# /dev/zero never ends (procps's neither), but in bounded memory
	run timeout 3 prlimit --as=200000000 "$CDIR/sysctl" -p /dev/zero
	[ "$status" = 124 ]
}

@test "compat sysctl: a key whose separators climb out of /proc/sys is refused, nothing outside read or written" {
	# net.//.//.//.//.run.x is net/../../../../run/x once the first
	# separator (.) says which is which: procps refuses it, so must nsbox
	local f=/run/nsbox-climb k='net.//.//.//.//.run.nsbox-climb' d
	echo 0 >"$f"
	both -w "$k=1"
	[ "$(cat "$f")" = 0 ]
	run --separate-stderr "$CDIR/sysctl" -w "$k=1"
	[ "$status" = 1 ] && [ "$stderr" = "sysctl: $k: invalid key" ]
	[ "$(cat "$f")" = 0 ]
	# reading, a directory walk from there, and a -p line: the same
	run --separate-stderr "$CDIR/sysctl" "$k" 'net.//.//'
	[ "$status" = 1 ] && [ -z "$output" ]
	[ "$stderr" = "sysctl: $k: invalid key"$'\n''sysctl: net.//.//: invalid key' ]
	d=$BATS_TEST_TMPDIR/climb.conf
	printf '%s = 1\n' "$k" >"$d"
	run -1 "$CDIR/sysctl" -p "$d"
	[ "$(cat "$f")" = 0 ]
	# a dot in a name is not a way out: eth0/100 and net..ipv4 stay inside
	both net.ipv4.conf.lo/.forwarding
	rm -f "$f"
}
