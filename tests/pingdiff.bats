#!/usr/bin/env bats
# pingtest against iputils ping, run by run on the same topologies: the text
# must be the same line for line with only times masked (counts kept), and
# `jc --ping` must read both the same apart from timings.
# Traffic stays between namespaces made here.

load helper

# a -- b -- r: a's veth to b (10.0.0.0/24, fd00::/64), b routes to r
# (10.1.0.0/24, fd01::/64); b has no route to 10.5/16 or fd05::/64
setup_world() {
	command -v jc >/dev/null || skip "jc is not installed (scripts/deps)"
	local n
	for n in a b r; do
		ip netns add $n
		ip -n $n link set lo up
		# every router answers every probe: no ICMP rate limit
		ip netns exec $n sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
	done
	ip link add va netns a type veth peer name vb netns b
	ip link add vr netns b type veth peer name vr2 netns r
	ip -n a addr add 10.0.0.1/24 dev va
	ip -n a addr add fd00::1/64 dev va nodad
	ip -n b addr add 10.0.0.2/24 dev vb
	ip -n b addr add fd00::2/64 dev vb nodad
	ip -n b addr add 10.1.0.1/24 dev vr
	ip -n b addr add fd01::1/64 dev vr nodad
	ip -n r addr add 10.1.0.2/24 dev vr2
	ip -n r addr add fd01::2/64 dev vr2 nodad
	ip -n a link set va up
	ip -n b link set vb up
	ip -n b link set vr up
	ip -n r link set vr2 up
	ip netns exec b sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	ip -n a route add 10.1.0.0/24 via 10.0.0.2
	ip -n a route add 10.5.0.0/16 via 10.0.0.2
	ip -n a route add fd01::/64 via fd00::2
	ip -n a route add fd05::/64 via fd00::2
	ip -n r route add default via 10.1.0.1
	ip -n r route add default via fd01::1
	ip -n a route add blackhole 10.9.0.0/24
	ip -n a route add unreachable 10.8.0.0/24
	# neighbour discovery gives up in 0.3 s, not 3 s
	ip netns exec a sysctl -qw net.ipv4.neigh.va.retrans_time_ms=100 \
		net.ipv6.neigh.va.retrans_time_ms=100
	# both families reach b before any case runs (b's neighbour entry
	# must not be the thing that fails)
	until_ok ip netns exec a ping -c 1 -W 1 10.0.0.2
	until_ok ip netns exec a ping -c 1 -W 1 fd00::2
}

# times masked, counts kept: "time=0.052 ms", "time 204ms", the rtt line
mask() {
	sed -E 's/time=[0-9.]+ ms/time=T ms/; s/time [0-9]+ms$/time Tms/;
		s|^rtt min/avg/max/mdev = [0-9./]+ ms|rtt min/avg/max/mdev = T ms|'
}

# jc's reading, timings removed
jcread() {
	jc --ping | jq -S 'del(.time_ms, .round_trip_ms_min, .round_trip_ms_avg,
		.round_trip_ms_max, .round_trip_ms_stddev, .timestamp) |
		.responses |= map(del(.time_ms, .timestamp))'
}

# same ARGS...: iputils ping and pingtest run with ARGS in namespace a
# (both bounded by timeout) print the same text and exit the same way
# (ping's 2 for a missing route is nsbox's 1: the kernel refused)
same() {
	local d="$BATS_TEST_TMPDIR" rp=0 rt=0 tp tt n
	timeout 20 ip netns exec a ping "$@" >"$d/ping" 2>"$d/ping.err" || rp=$?
	timeout 20 pingtest -n a "$@" >"$d/pingtest" 2>"$d/pingtest.err" || rt=$?
	echo "# ping $* -> $rp"
	cat "$d/ping" "$d/ping.err"
	echo "# pingtest $* -> $rt"
	cat "$d/pingtest" "$d/pingtest.err"
	[ "$rt" = "$rp" ] || { [ "$rp" = 2 ] && [ "$rt" = 1 ]; }
	diff -u <(mask <"$d/ping") <(mask <"$d/pingtest")
	# time: from the start to the last probe, as ping counts it (masked
	# above; ping's pacing lags some ms a probe: within 50 ms + 10 a probe)
	tp=$(sed -nE 's/.*, time ([0-9]+)ms$/\1/p' "$d/ping")
	tt=$(sed -nE 's/.*, time ([0-9]+)ms$/\1/p' "$d/pingtest")
	n=$(sed -nE 's/^([0-9]+) packets transmitted.*/\1/p' "$d/ping")
	[ -z "$tp" ] || [ $((tp > tt ? tp - tt : tt - tp)) -le $((50 + 10 * n)) ]
	[ -s "$d/ping" ] || return 0
	diff -u <(jcread <"$d/ping") <(jcread <"$d/pingtest")
	# jc read it as Linux ping: a loss percentage, and no BSD-size bytes
	jcread <"$d/pingtest" | jq -e '.packet_loss_percent != null and .data_bytes < 65536'
}

# both kinds of socket: raw (new namespaces refuse ping sockets) and ping
both() {
	same "$@"
	ip netns exec a sysctl -qw net.ipv4.ping_group_range="0 2147483647"
	same "$@"
	ip netns exec a sysctl -qw net.ipv4.ping_group_range="1 0"
}

@test "pingdiff: replies, IPv4 and IPv6" {
	both -c 3 -i 0.2 -W 2 10.0.0.2
	both -c 2 -i 0.2 -W 2 10.1.0.2
	both -c 3 -i 0.2 -W 2 fd00::2
	both -c 2 -i 0.2 -W 2 fd01::2
}

@test "pingdiff: -q, -s, -I" {
	both -c 2 -i 0.2 -q 10.0.0.2
	both -c 2 -i 0.2 -s 8 10.0.0.2
	both -c 2 -i 0.2 -s 1000 fd00::2
	both -c 2 -i 0.2 -I va 10.0.0.2
	both -c 2 -i 0.2 -I 10.0.0.1 10.0.0.2
}

@test "pingdiff: an address nobody holds: Destination Host Unreachable" {
	both -c 2 -i 0.2 -W 2 10.0.0.9
	both -c 2 -i 0.2 -W 2 fd00::9
	both -c 2 -i 0.2 -W 2 -q 10.0.0.9
}

@test "pingdiff: no reply at all (-W runs out): the empty last line" {
	# b drops the probes: no error comes back either
	ip -n b route add blackhole 10.5.0.0/16
	ip -n b route add blackhole fd05::/64
	both -c 2 -i 0.2 -W 1 10.5.0.1
	both -c 2 -i 0.2 -W 1 fd05::1
}

# IPv4 Net Unreachable from b is left out: on this kernel b's errors reach
# a's sockets only now and then, for iputils as for pingtest
@test "pingdiff: a router's No route, and -w ends at the first error" {
	both -c 2 -i 0.2 -W 2 fd05::1
	both -w 2 -i 0.2 10.0.0.9
}

@test "pingdiff: -t 1 through a router: Time to live exceeded" {
	both -c 2 -i 0.2 -W 2 -t 1 10.1.0.2
	both -c 2 -i 0.2 -W 2 -t 1 fd01::2
}

@test "pingdiff: -w deadline with nothing answering" {
	ip -n b route add blackhole 10.5.0.0/16
	both -w 1 -i 0.2 10.5.0.1
}

@test "pingdiff: a local blackhole or unreachable route fails before the header" {
	both -c 2 -i 0.2 -W 1 10.9.0.1
	both -c 2 -i 0.2 -W 1 10.8.0.1
}

# b's nftables: echo replies with these sequence numbers duplicated, echo
# requests with those dropped (where the kernel has nf_dup)
b_nft() {	# b_nft DUP_SEQS DROP_SEQS
	ip netns exec b nft -f - <<-EOF || skip "no nftables dup in this kernel"
	table ip pingdiff {
		chain out {
			type filter hook output priority 0
			icmp type echo-reply icmp sequence $1 dup to 10.0.0.1 device vb
		}
		chain in {
			type filter hook input priority 0
			icmp type echo-request icmp sequence $2 drop
		}
	}
	table ip6 pingdiff {
		chain out {
			type filter hook output priority 0
			icmpv6 type echo-reply icmpv6 sequence $1 dup to fd00::1 device vb
		}
		chain in {
			type filter hook input priority 0
			icmpv6 type echo-request icmpv6 sequence $2 drop
		}
	}
	EOF
}

@test "pingdiff: duplicates: (DUP!) lines, +N duplicates, IPv4 and IPv6" {
	# the last reply is not duplicated: its copy could come after the end
	b_nft "{ 1, 2 }" 1000
	both -c 3 -i 0.2 -W 2 10.0.0.2
	both -c 3 -i 0.2 -W 2 fd00::2
	both -c 3 -i 0.2 -W 2 -q 10.0.0.2
}

@test "pingdiff: partial loss, the percentage as ping's float (74.1936%)" {
	b_nft 1000 "{ 2, 5 }"
	both -c 6 -i 0.2 -W 1 10.0.0.2
	both -c 6 -i 0.2 -W 1 fd00::2
	# 23 of 31 lost: a double says 74.1935, ping's float 74.1936
	ip netns exec b nft flush ruleset
	b_nft 1000 "> 8"
	both -c 31 -i 0.02 -W 1 -q 10.0.0.2
}

@test "pingdiff: a duplicate and lost probes in one run" {
	b_nft 1 "{ 3, 4 }"
	both -c 4 -i 0.2 -W 1 fd00::2
}

@test "pingdiff: -w with COUNT ends at COUNT replies" {
	both -w 3 -c 2 -i 0.2 10.0.0.2
	both -w 3 -c 2 -i 0.2 fd00::2
}

@test "pingdiff: duplicates and loss through tc netem" {
	# a kernel without sch_netem skips (the nftables cases above cover
	# duplicates and loss); any other failure of tc fails
	local err
	if ! err=$(ip netns exec b tc qdisc add dev vb root netem duplicate 100% 2>&1); then
		[ "$err" = "Error: Specified qdisc kind is unknown." ] || fail "tc: $err"
		skip "no sch_netem in this kernel"
	fi
	both -c 3 -i 0.2 -W 2 10.0.0.2
	ip netns exec b tc qdisc change dev vb root netem loss 50%
	both -c 6 -i 0.2 -W 1 10.0.0.2
}
