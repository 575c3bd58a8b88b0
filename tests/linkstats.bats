#!/usr/bin/env bats
# Link counters: iplink -s and nsgraph -s after known traffic, read against
# ip -s (-j) link.  Counters can move between two readings, so each nsbox
# value must lie between ip's readings taken just before and just after;
# the links are kept quiet (IPv6 off: no DAD, router or MLD solicitations)
# so that the text can be compared with ip's whole, numbers masked.

bats_require_minimum_version 1.5.0
load helper

# a:va <-> b:vb, 10.9.0.1/24 and .2, IPv6 off before the links exist
pair() {
	local n
	for n in a b; do
		ip netns add "$n"
		ip netns exec "$n" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6'
	done
	ip -n a link add va type veth peer name vb netns b
	ip -n a addr add 10.9.0.1/24 dev va
	ip -n b addr add 10.9.0.2/24 dev vb
	ip -n a link set va up
	ip -n b link set vb up
}

# every counter of ip -s -j's stats64, one "IFNAME.rx.bytes VALUE" a line,
# links in name order, counters in the order printed
flat() {
	jq -r '.[] | .ifname as $n | .stats64 | paths(numbers) as $p |
		"\($n).\($p | join(".")) \(getpath($p))"' | sort -s -t. -k1,1
}

# within NS DEV CMD: the counters CMD prints as JSON (an eval'd string)
# name the same counters as ip -s -j link show DEV in NS (every link when DEV
# is ""), and each lies between two readings of it, just before and just
# after CMD (CMD runs between them, not beside them as a pipe would)
within() {
	local ns=$1 dev=$2 cmd=$3 before after got
	# shellcheck disable=SC2086
	before=$(ip -n "$ns" -s -j link show $dev | flat)
	got=$(eval "$cmd" | flat)
	# shellcheck disable=SC2086
	after=$(ip -n "$ns" -s -j link show $dev | flat)
	[ -n "$got" ]
	diff <(cut -d' ' -f1 <<<"$got") <(cut -d' ' -f1 <<<"$before")
	paste -d' ' <(cat <<<"$before") <(cut -d' ' -f2 <<<"$got") <(cut -d' ' -f2 <<<"$after") |
		awk '$2 > $3 || $3 > $4 { print "out of range: " $0; bad = 1 } END { exit bad }'
}

@test "linkstats: iplink -s -j after a ping agrees with ip -s -j link" {
	pair
	ip netns exec a ping -c 5 -i 0.2 -q 10.9.0.2
	within a va 'iplink -n a -s -j show va'
	within b vb 'iplink -n b -j -s show vb'
	within a '' 'iplink -n a -s -j'
	# the known traffic: 5 echo requests out of va, 5 replies in, plus ARP
	j=$(iplink -n a -s -j show va)
	jq -e '.[0].stats64.tx.packets >= 6 and .[0].stats64.rx.packets >= 6' <<<"$j"
	jq -e '.[0].stats64.tx.bytes >= 5 * 98 and .[0].stats64.rx.bytes >= 5 * 98' <<<"$j"
	# what one end sent the other received (a veth loses nothing here);
	# IPv6's own packets (router solicitations, MLD) may leave va between
	# the two reads: read again until a pair of reads agrees, within a bound
	# (each read must succeed and count the ping: two failed reads agree too)
	same_count() {
		local tx rx
		tx=$(jqr '.[0].stats64.tx.packets' iplink -n a -s -j show va) &&
			rx=$(jqr '.[0].stats64.rx.packets' iplink -n b -s -j show vb) &&
			[ "$tx" -ge 6 ] 2>/dev/null && [ "$tx" = "$rx" ]
	}
	until_ok same_count
}

@test "linkstats: a drop is counted where ip counts it" {
	pair
	ip -n b link set vb down
	# va has no carrier: the ARP requests are dropped at the veth
	run -1 ip netns exec a ping -c 2 -i 0.2 -W 1 -q 10.9.0.2
	[ "$(ip -n a -s -j link show va | jq '.[0].stats64.tx.dropped')" -gt 0 ]
	within a va 'iplink -n a -s -j show va'
}

@test "linkstats: iplink -s text is ip -s link's, line by line" {
	pair
	ip netns exec a ping -c 3 -i 0.2 -q 10.9.0.2
	# ip's lines minus what nsbox leaves out (qdisc, mode, group, qlen),
	# the numbers masked; the columns keep their widths
	strip() {
		sed -E 's/ qdisc [a-z_]+//; s/ mode [A-Z]+//; s/ group [a-z0-9]+//; s/ qlen [0-9]+//;
			s/ link-netns [a-z]+$/ link-netnsid 0/; /^    (RX|TX):|^ +[0-9]/!s/ +$//' | mask
	}
	mask() { sed -E '/^ +[0-9 ]+$/s/[0-9]/N/g'; }
	diff <(iplink -n a -s show va | mask) <(ip -n a -s link show va | strip)
	diff <(iplink -n a -s | mask) <(ip -n a -s link | strip)
	diff <(iplink -s show lo | mask) <(ip -s link show lo | strip)
	# the header lines, exactly (trailing blanks and all)
	run -0 iplink -n a -s show va
	assert_line --index 2 '    RX:  bytes packets errors dropped  missed   mcast           '
	assert_line --index 4 '    TX:  bytes packets errors dropped carrier collsns           '
	# without -s, no counters
	[ "$(iplink -n a show va | wc -l)" = 2 ]
	[ "$(iplink -n a -j show va | jq '.[0] | has("stats64")')" = false ]
}

@test "linkstats: -s with -n, a DEV that is gone, and in batch mode" {
	pair
	fails 1 "iplink: nosuch: No such device" iplink -n a -s show nosuch
	fails 1 "iplink: nosuch: No such file or directory" iplink -s -n nosuch show
	fails 2 "iplink: x0/: invalid interface name" iplink -s -j show x0/
	printf 'iplink -n a -s -j show va\niplink -n a show va\niplink -n b -s -j\n' |
		nsbox -b - > "$BATS_TEST_TMPDIR/out"
	[ "$(grep -c '^    RX:' "$BATS_TEST_TMPDIR/out")" = 0 ]
	[ "$(grep -o '"stats64"' "$BATS_TEST_TMPDIR/out" | wc -l)" = 3 ]
}

@test "linkstats: nsgraph -s shows each link's counters as ip counts them" {
	pair
	ip netns exec a ping -c 4 -i 0.2 -q 10.9.0.2
	# -j: ip -s -j's stats64 on every link of every namespace
	within a '' "nsgraph -s -j | jq '[.namespaces[] | select(.name == \"a\") | .links[]]'"
	within b '' "nsgraph -s -j | jq '[.namespaces[] | select(.name == \"b\") | .links[]]'"
	[ "$(nsgraph -j | jq '[.namespaces[].links[] | has("stats64")] | any')" = false ]
	# text and DOT: "rx PACKETS/BYTES tx PACKETS/BYTES"
	s=$(ip -n a -s -j link show va | jq -r '.[0].stats64 | "rx \(.rx.packets)/\(.rx.bytes) tx \(.tx.packets)/\(.tx.bytes)"')
	run nsgraph -s
	assert_success
	assert_line "  va                 veth     UP         $s 10.9.0.1/24 <-> b:vb"
	[ "$(awk 'length > 80' <<<"$output")" = "" ]
	nsgraph -s --dot | grep -qF "\"a/va\" [label=\"va\\nveth UP\\n$s\\n10.9.0.1/24\"];"
	nsgraph --dot -s | dot -Tsvg > /dev/null
	fails 2 "nsgraph: -x: unknown option" nsgraph -s -x
	fails 2 "nsgraph: --dot: -j and --dot exclude each other" nsgraph -j -s --dot
}
