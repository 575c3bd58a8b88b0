#!/usr/bin/env bats
# pingtest: verdicts checked against iputils ping in the same namespaces,
# sockets against /proc/net/{icmp,raw}, -j with jq, --tcp against socat.
# Traffic stays between namespaces made here, or on loopback.

bats_require_minimum_version 1.5.0
load helper

# a and b joined by a veth: 10.0.0.1/24 fd00::1/64 in a, .2 and ::2 in b
veth_pair() {
	ip netns add a
	ip netns add b
	ip -n a link set lo up
	ip -n b link set lo up
	ip link add va netns a type veth peer name vb netns b
	ip -n a addr add 10.0.0.1/24 dev va
	ip -n a addr add fd00::1/64 dev va nodad
	ip -n b addr add 10.0.0.2/24 dev vb
	ip -n b addr add fd00::2/64 dev vb nodad
	ip -n a link set va up
	ip -n b link set vb up
}

# new namespaces allow ping sockets to nobody ("1 0"): open them to all
ping_sockets() {
	ip netns exec "$1" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# sockets of one kind (icmp: ping sockets, raw, raw6, icmp6) open in NS
socks() {
	ip netns exec "$1" tail -n +2 "/proc/net/$2" | wc -l
}

@test "pingtest: --help prints the synopsis" {
	run pingtest --help
	assert_success
	assert_line --index 0 "pingtest [-n NETNS] [-c COUNT] [-i SECONDS] [-W SECONDS] [-w DEADLINE] [-s SIZE]"
	assert_line --index 1 "         [-t TTL] [-I IFACE] [-q] [-j] [--tcp PORT] HOST"
}

@test "pingtest: a veth peer answers, as it does to ping (raw socket)" {
	veth_pair
	ip netns exec a ping -c 2 -i 0.2 -W 3 10.0.0.2
	run pingtest -n a -c 2 -i 0.2 -W 3 10.0.0.2
	# times as ping shows them: 0.052, 1.98, 10.5, 105
	assert_success
	assert_line --index 0 "PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data."
	assert_line --regexp '^64 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64 time=([0-9]\.[0-9]{3}|[0-9]{1,2}\.[0-9]{1,2}|[0-9]+) ms$'
	assert_line --regexp '^64 bytes from 10\.0\.0\.2: icmp_seq=2 ttl=64 time=([0-9]\.[0-9]{3}|[0-9]{1,2}\.[0-9]{1,2}|[0-9]+) ms$'
	assert_line "--- 10.0.0.2 ping statistics ---"
	assert_line --regexp '^2 packets transmitted, 2 received, 0% packet loss, time [0-9]+ms$'
	assert_line --regexp '^rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms$'
}

@test "pingtest: a ping socket where ping_group_range allows, a raw one otherwise" {
	veth_pair
	# default range "1 0": root gets no ping socket, so a raw one
	pingtest -n a -c 40 -i 0.05 10.0.0.2 >"$BATS_TEST_TMPDIR/raw" &
	p=$!
	until_ok grep -q "bytes from" "$BATS_TEST_TMPDIR/raw"
	[ "$(socks a raw)" = 1 ]
	[ "$(socks a icmp)" = 0 ]
	wait $p
	ping_sockets a
	pingtest -n a -c 40 -i 0.05 10.0.0.2 >"$BATS_TEST_TMPDIR/dgram" &
	p=$!
	until_ok grep -q "bytes from" "$BATS_TEST_TMPDIR/dgram"
	[ "$(socks a icmp)" = 1 ]
	[ "$(socks a raw)" = 0 ]
	wait $p
	grep -q '^40 packets transmitted, 40 received, 0% packet loss' "$BATS_TEST_TMPDIR/raw"
	grep -q '^40 packets transmitted, 40 received, 0% packet loss' "$BATS_TEST_TMPDIR/dgram"
}

@test "pingtest: IPv6 over a veth, raw and ping sockets, as ping" {
	veth_pair
	ip netns exec a ping -c 2 -i 0.2 -W 3 fd00::2
	run pingtest -n a -c 2 -i 0.2 -W 3 fd00::2
	assert_success
	assert_line --index 0 "PING fd00::2(fd00::2) 56 data bytes"
	assert_line --regexp '^64 bytes from fd00::2: icmp_seq=2 ttl=64 time=[0-9.]+ ms$'
	assert_line --regexp '^2 packets transmitted, 2 received, 0% packet loss'
	ping_sockets a
	run pingtest -n a -c 2 -i 0.2 -W 3 fd00::2
	assert_success
	assert_line --regexp '^64 bytes from fd00::2: icmp_seq=1 ttl=64 time=[0-9.]+ ms$'
	assert_line --regexp '^2 packets transmitted, 2 received, 0% packet loss'
}

@test "pingtest: loopback, IPv4 and IPv6, here and inside a namespace" {
	ip netns add a
	ip -n a link set lo up
	for dst in 127.0.0.1 ::1; do
		ping -c 1 "$dst"
		run pingtest -c 2 -i 0.1 "$dst"
		assert_success
		assert_line --regexp '^2 packets transmitted, 2 received, 0% packet loss'
		ip netns exec a ping -c 1 "$dst"
		run pingtest -n a -c 2 -i 0.1 "$dst"
		assert_success
		assert_line --regexp '^2 packets transmitted, 2 received, 0% packet loss'
	done
	# lo down: neither answers
	ip -n a link set lo down
	run ip netns exec a ping -c 1 -W 1 127.0.0.1
	assert_failure
	run pingtest -n a -c 1 -W 1 127.0.0.1
	assert_failure 1
}

@test "pingtest: an address nobody holds exits 1, as ping does" {
	veth_pair
	run ip netns exec a ping -c 2 -i 0.2 -W 1 10.0.0.9
	assert_failure 1
	run pingtest -n a -c 2 -i 0.2 -W 1 10.0.0.9
	assert_failure 1
	assert_line --regexp '^2 packets transmitted, 0 received, 100% packet loss, time [0-9]+ms$'
	refute_line --partial "bytes from"
	refute_line --partial "rtt "
	run ip netns exec a ping -c 1 -W 1 fd00::9
	assert_failure 1
	run pingtest -n a -c 1 -W 1 fd00::9
	assert_failure 1
	assert_line --regexp '^1 packets transmitted, 0 received, 100% packet loss'
}

@test "pingtest: no route exits 1, with the reason" {
	ip netns add a
	ip -n a link set lo up
	fails 1 "pingtest: 10.99.0.1: Network is unreachable" pingtest -n a -c 1 -W 1 10.99.0.1
}

@test "pingtest: -j prints one object with jc's ping keys" {
	veth_pair
	run --separate-stderr pingtest -n a -c 3 -i 0.1 -W 3 -j 10.0.0.2
	assert_success
	jq -e '
		.destination_ip == "10.0.0.2" and .packets_transmitted == 3 and
		.packets_received == 3 and .packet_loss_percent == 0 and
		.duplicates == 0 and (.responses | length) == 3 and
		([.responses[] | select(.type == "reply" and .bytes == 64 and
			.response_ip == "10.0.0.2" and .ttl == 64 and
			(.time_ms | type) == "number" and .duplicate == false)] | length) == 3 and
		([.responses[].icmp_seq] == [1, 2, 3]) and
		.round_trip_ms_min <= .round_trip_ms_avg and
		.round_trip_ms_avg <= .round_trip_ms_max and
		.round_trip_ms_stddev >= 0' <<<"$output"
	# keys jc's ping parser has
	for k in destination_ip packets_transmitted packets_received packet_loss_percent \
		round_trip_ms_min round_trip_ms_avg round_trip_ms_max round_trip_ms_stddev responses; do
		jq -e --arg k "$k" 'has($k)' <<<"$output"
	done
	# one object and nothing else on stdout
	[ "$(jq -s length <<<"$output")" = 1 ]
}

@test "pingtest: -j when nothing answers: timeouts and null round trips" {
	veth_pair
	run --separate-stderr pingtest -n a -c 2 -i 0.2 -W 0.5 -j 10.0.0.9
	assert_failure 1
	jq -e '
		.packets_transmitted == 2 and .packets_received == 0 and
		.packet_loss_percent == 100 and .round_trip_ms_avg == null and
		.responses == [{"type": "timeout", "icmp_seq": 1}, {"type": "timeout", "icmp_seq": 2}]' <<<"$output"
}

@test "pingtest: two at once in one namespace each count only their own replies" {
	veth_pair
	for kind in raw dgram; do
		[ $kind = raw ] || ping_sockets a
		pingtest -n a -c 30 -i 0.02 -W 3 -j 10.0.0.2 >"$BATS_TEST_TMPDIR/1.$kind" &
		p1=$!
		pingtest -n a -c 30 -i 0.02 -W 3 -j 10.0.0.2 >"$BATS_TEST_TMPDIR/2.$kind" &
		p2=$!
		# and iputils' ping, on the same socket kind, in between
		ip netns exec a ping -c 30 -i 0.02 -W 3 10.0.0.2 >"$BATS_TEST_TMPDIR/ping.$kind" &
		p3=$!
		wait $p1
		wait $p2
		wait $p3
		for o in 1 2; do
			jq -e '.packets_transmitted == 30 and .packets_received == 30 and
				.duplicates == 0 and
				([.responses[] | select(.type == "reply")] | length) == 30 and
				([.responses[].icmp_seq] | unique | length) == 30' \
				"$BATS_TEST_TMPDIR/$o.$kind"
		done
		grep -q '^30 packets transmitted, 30 received, 0% packet loss' "$BATS_TEST_TMPDIR/ping.$kind"
		! grep -q DUP "$BATS_TEST_TMPDIR/ping.$kind" || false
	done
}

@test "pingtest: -i is respected: -c 3 -i 0.2 takes 0.4 s, well under 2 s" {
	veth_pair
	pingtest -n a -c 1 10.0.0.2
	t0=$(now_ms)
	run pingtest -n a -c 3 -i 0.2 10.0.0.2
	t1=$(now_ms)
	assert_success
	assert_line --regexp '^3 packets transmitted, 3 received'
	[ $((t1 - t0)) -ge 390 ]
	[ $((t1 - t0)) -lt 2000 ]
}

@test "pingtest: -w ends a run against a silent address within about a second" {
	veth_pair
	t0=$(now_ms)
	run pingtest -n a -w 1 -i 0.2 10.0.0.9
	t1=$(now_ms)
	assert_failure 1
	assert_line --regexp '^[4-6] packets transmitted, 0 received, 100% packet loss'
	[ $((t1 - t0)) -ge 990 ]
	[ $((t1 - t0)) -lt 3000 ]
	# -c with -w: stop at COUNT replies, not at the deadline
	t0=$(now_ms)
	run pingtest -n a -c 2 -w 5 -i 0.1 10.0.0.2
	t1=$(now_ms)
	assert_success
	assert_line --regexp '^2 packets transmitted, 2 received'
	[ $((t1 - t0)) -lt 2000 ]
}

@test "pingtest: -W gives up on each reply in time" {
	veth_pair
	t0=$(now_ms)
	run pingtest -n a -c 1 -W 0.3 10.0.0.9
	t1=$(now_ms)
	assert_failure 1
	[ $((t1 - t0)) -ge 290 ]
	[ $((t1 - t0)) -lt 2000 ]
}

@test "pingtest: SIGINT prints the summary" {
	veth_pair
	out="$BATS_TEST_TMPDIR/out"
	pingtest -n a -i 0.1 10.0.0.2 >"$out" &
	p=$!
	until_ok grep -q "bytes from" "$out"
	kill -INT $p
	rc=0
	wait $p || rc=$?
	[ $rc = 0 ]
	grep -q -- "--- 10.0.0.2 ping statistics ---" "$out"
	grep -Eq '^[0-9]+ packets transmitted, [1-9][0-9]* received' "$out"
	grep -q '^rtt min/avg/max/mdev' "$out"
}

@test "pingtest: SIGINT with no reply yet: summary, exit 1" {
	veth_pair
	out="$BATS_TEST_TMPDIR/out"
	pingtest -n a -j 10.0.0.9 >"$out" &
	p=$!
	until_ok sh -c "[ \$(ip netns exec a tail -n +2 /proc/net/raw | wc -l) = 1 ]"
	kill -INT $p
	rc=0
	wait $p || rc=$?
	[ $rc = 1 ]
	jq -e '.packets_received == 0 and .packets_transmitted >= 1' "$out"
}

@test "pingtest: batch mode leaves SIGINT unblocked and goes on after a run" {
	ip netns add a
	ip -n a link set lo up
	before=$(nsexec a grep -E '^Sig(Blk|Ign)' /proc/self/status)
	run nsbox -b - <<-EOF
	pingtest -n a -c 1 127.0.0.1
	pingtest -n a -c 1 -q ::1
	nsexec a grep -E "^Sig(Blk|Ign)" /proc/self/status
	EOF
	assert_success
	[ "$(grep -c 'packets transmitted, 1 received' <<<"$output")" = 2 ]
	[ "$(grep -E '^Sig(Blk|Ign)' <<<"$output")" = "$before" ]
}

@test "pingtest: -s SIZE sends SIZE payload bytes, as ping -s" {
	veth_pair
	run -0 ip netns exec a ping -c 1 -s 1000 10.0.0.2
	assert_line --regexp '^1008 bytes from 10\.0\.0\.2: '
	run pingtest -n a -c 1 -s 1000 10.0.0.2
	assert_success
	assert_line --index 0 "PING 10.0.0.2 (10.0.0.2) 1000(1028) bytes of data."
	assert_line --regexp '^1008 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64 '
	run pingtest -n a -c 1 -s 0 10.0.0.2
	assert_success
	# as ping: under 16 bytes there is no timestamp, so no time
	assert_line --regexp '^8 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64$'
	ping_sockets a
	run pingtest -n a -c 1 -s 3000 fd00::2
	assert_success
	assert_line --regexp '^3008 bytes from fd00::2: '
}

@test "pingtest: -I an interface or a source address" {
	veth_pair
	ip -n a addr add 10.0.0.3/24 dev va
	for kind in raw dgram; do
		[ $kind = raw ] || ping_sockets a
		run pingtest -n a -c 1 -I va 10.0.0.2
		assert_success
		# bound to lo the packet never reaches the veth
		run ip netns exec a ping -c 1 -W 1 -I lo 10.0.0.2
		assert_failure
		run pingtest -n a -c 1 -W 1 -I lo 10.0.0.2
		assert_failure 1
		# the source address is the one given: b sees it in its neighbours
		run pingtest -n a -c 1 -I 10.0.0.3 10.0.0.2
		assert_success
		ip -n b -j neigh show dev vb | jq -e 'any(.[]; .dst == "10.0.0.3")'
		ip -n b neigh flush dev vb
	done
}

@test "pingtest: host names from /etc/hosts" {
	veth_pair
	echo "10.0.0.2 bee" >>/etc/hosts
	echo "fd00::2 bee6" >>/etc/hosts
	ip netns exec a ping -c 1 bee
	run pingtest -n a -c 1 bee
	assert_success
	assert_line --index 0 "PING bee (10.0.0.2) 56(84) bytes of data."
	assert_line --regexp '^64 bytes from 10\.0\.0\.2: '
	run pingtest -n a -c 1 -W 3 bee6
	assert_success
	assert_line --index 0 "PING bee6(fd00::2) 56 data bytes"
}

@test "pingtest: an unknown host name exits 2" {
	fails_quiet 2 "pingtest: no-such-host.invalid: unknown host" pingtest -c 1 no-such-host.invalid
}

@test "pingtest: --tcp times connects, refused and silent ones are lost" {
	veth_pair
	ip netns exec b socat TCP-LISTEN:8000,fork,reuseaddr /dev/null &
	srv=$!
	until_ok sh -c "ip netns exec b ss -Htln 'sport = :8000' | grep -q ."
	run pingtest -n a -c 3 -i 0.1 --tcp 8000 10.0.0.2
	assert_success
	assert_line --index 0 "PING 10.0.0.2 (10.0.0.2) TCP port 8000."
	assert_line --regexp '^connected to 10\.0\.0\.2:8000: seq=3 time=[0-9]+\.[0-9]{3} ms$'
	assert_line --regexp '^3 packets transmitted, 3 received, 0% packet loss'
	run pingtest -n a -c 2 -i 0.1 -j --tcp 8000 10.0.0.2
	assert_success
	jq -e '.packets_received == 2 and ([.responses[] | select(.type == "reply")] | length) == 2' <<<"$output"
	kill $srv
	wait $srv || true
	# nothing listens: refused
	run pingtest -n a -c 2 -i 0.1 --tcp 8001 10.0.0.2
	assert_failure 1
	assert_line "no connection to 10.0.0.2:8001: seq=1: Connection refused"
	assert_line --regexp '^2 packets transmitted, 0 received, 100% packet loss'
	# nobody there: timed out after -W
	t0=$(now_ms)
	run pingtest -n a -c 1 -W 0.5 --tcp 8000 10.0.0.9
	t1=$(now_ms)
	assert_failure 1
	assert_line "no connection to 10.0.0.9:8000: seq=1: Connection timed out"
	[ $((t1 - t0)) -lt 2500 ]
}

@test "pingtest: --tcp over IPv6 loopback" {
	socat TCP6-LISTEN:8000,fork,reuseaddr /dev/null &
	srv=$!
	until_ok sh -c "ss -Htln 'sport = :8000' | grep -q ."
	run pingtest -c 1 --tcp 8000 ::1
	assert_success
	assert_line --regexp '^connected to \[::1\]:8000: seq=1 time='
	kill $srv
}

@test "pingtest: usage errors exit 2 with one line" {
	fails_quiet 2 "pingtest: HOST: missing operand" pingtest
	fails_quiet 2 "pingtest: 0: invalid count" pingtest -c 0 127.0.0.1
	fails_quiet 2 "pingtest: x: invalid count" pingtest -c x 127.0.0.1
	fails_quiet 2 "pingtest: 1.2345: invalid interval" pingtest -i 1.2345 127.0.0.1
	fails_quiet 2 "pingtest: -1: invalid interval" pingtest -i -1 127.0.0.1
	fails_quiet 2 "pingtest: 1e3: invalid interval" pingtest -i 1e3 127.0.0.1
	fails_quiet 2 "pingtest: 0: invalid timeout" pingtest -W 0 127.0.0.1
	fails_quiet 2 "pingtest: 1s: invalid deadline" pingtest -w 1s 127.0.0.1
	fails_quiet 2 "pingtest: 65508: invalid packet size" pingtest -s 65508 127.0.0.1
	fails_quiet 2 "pingtest: 0: invalid port" pingtest --tcp 0 127.0.0.1
	fails_quiet 2 "pingtest: 65536: invalid port" pingtest --tcp 65536 127.0.0.1
	fails_quiet 2 "pingtest: a/b: invalid interface name" pingtest -I a/b 127.0.0.1
	fails_quiet 2 "pingtest: ..: invalid namespace name" pingtest -n .. 127.0.0.1
	fails_quiet 2 "pingtest: 127.0.0.2: unexpected argument" pingtest 127.0.0.1 127.0.0.2
	fails_quiet 2 "pingtest: --bogus: unknown option" pingtest --bogus 127.0.0.1
	fails_quiet 2 "pingtest: -c: option needs an argument" pingtest -c
}

@test "pingtest: a missing namespace or interface exits 1" {
	fails 1 "pingtest: nope: No such file or directory" pingtest -n nope -c 1 127.0.0.1
	fails 1 "pingtest: nope0: No such device" pingtest -c 1 -I nope0 127.0.0.1
	fails 1 "pingtest: 192.0.2.7: Cannot assign requested address" pingtest -c 1 -I 192.0.2.7 127.0.0.1
	fails 1 "pingtest: nope: No such file or directory" pingtest -n nope -c 1 --tcp 80 127.0.0.1
}
