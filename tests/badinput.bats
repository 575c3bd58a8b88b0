#!/usr/bin/env bats
# Bad input, one case a row: the contract's exit status (2 usage, 1 refused),
# the exact first line of stderr, no crash, and a before/after snapshot of
# links, addresses, routes, nft rules, forwarding and /run/netns (host and a
# namespace) that is identical: a refused command leaves nothing behind.

load helper

setup_world() {
	# a small world for the snapshot to cover, made with ip
	ip netns add a
	ip link add br0 type bridge
	ip addr add 10.9.0.1/24 dev br0
	ip link set br0 up
	ip link add v0 type veth peer name v1 netns a
	ip link set v0 master br0 up
	ip -n a addr add 10.9.0.2/24 dev v1
	ip -n a link set v1 up
	ip -n a link set lo up
	ip -n a route add default via 10.9.0.1
	# batch files whose first line fails
	printf 'vethadd a\n' >/run/b-usage
	printf 'nsadd a\n' >/run/b-refused
	printf 'nsadd "x\n' >/run/b-quote
	printf '# a comment\n\nfrob x\n' >/run/b-unknown
	printf 'natdnat -p sctp 80 10.0.0.1\nnsadd never\n' >/run/b-nat
}

# everything a failed command could have left behind; fails when a reader
# does (an oracle that cannot answer would compare empty with empty)
snap() {
	local n
	ls /run/netns || return
	cat /proc/sys/net/ipv4/ip_forward || return
	for n in "" a; do
		echo "== ${n:-host}"
		jqr '[.[] | {ifname, mtu, master, address,
			flags: (.flags - ["LOWER_UP", "NO-CARRIER", "M-DOWN"])}]' ip ${n:+-n "$n"} -j link show || return
		jqr '[.[] | {ifname,
			a: [.addr_info[] | select(.scope != "link") | "\(.local)/\(.prefixlen)"]}]' ip ${n:+-n "$n"} -j addr show || return
		jqr '[.[] | {dst, gateway, dev, table, type}]' ip ${n:+-n "$n"} -4 -j route show table all || return
		jqr '[.[] | select(.dst | startswith("fe80") | not)]' ip ${n:+-n "$n"} -6 -j route show || return
	done
	jqr '.nftables | map(select(.metainfo == null))' nft -j list ruleset || return
	jqr '.nftables | map(select(.metainfo == null))' ip netns exec a nft -j list ruleset
}

# bad STATUS "FIRST STDERR LINE" CMD [ARG...]: fails, and snap unchanged;
# the snapshot must see setup_world's world (br0's and a's v1's addresses)
bad() {
	local before after
	before=$(snap) || { echo "snap failed" >&2; return 1; }
	[[ $before == *'"br0","a":["10.9.0.1/24"]'* && $before == *'"v1","a":["10.9.0.2/24"]'* ]] ||
		{ printf 'snap does not see the world:\n%s\n' "$before" >&2; return 1; }
	fails "$@" || return 1
	after=$(snap) || { echo "snap failed" >&2; return 1; }
	[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after"); return 1; }
}

@test "bad: nsadd" { bad 2 "nsadd: NAME: missing operand" nsadd; }
@test "bad: nsadd ../x" { bad 2 "nsadd: ../x: invalid namespace name" nsadd ../x; }
@test "bad: nsadd -x a" { bad 2 "nsadd: -x: unknown option" nsadd -x a; }
@test "bad: nsdel" { bad 2 "nsdel: NAME: missing operand" nsdel; }
@test "bad: nsdel a/b" { bad 2 "nsdel: a/b: invalid namespace name" nsdel a/b; }
@test "bad: nslist x" { bad 2 "nslist: x: unexpected argument" nslist x; }
@test "bad: nslist -e" { bad 2 "nslist: -e: unknown option" nslist -e; }
@test "bad: nsexec" { bad 2 "nsexec: NETNS: missing operand" nsexec; }
@test "bad: nsexec a" { bad 2 "nsexec: CMD: missing operand" nsexec a; }
@test "bad: nsexec ../a true" { bad 1 "nsexec: ../a: No such file or directory" nsexec ../a true; }
@test "bad: nsexec nope true" { bad 1 "nsexec: nope: No such file or directory" nsexec nope true; }
@test "bad: vethadd" { bad 2 "vethadd: NAME: missing operand" vethadd; }
@test "bad: vethadd a" { bad 2 "vethadd: PEER: missing operand" vethadd a; }
@test "bad: vethadd a b c" { bad 2 "vethadd: c: unexpected argument" vethadd a b c; }
@test "bad: vethadd --mtu 67 a b" { bad 2 "vethadd: 67: invalid MTU" vethadd --mtu 67 a b; }
@test "bad: vethadd --mtu 65537 a b" { bad 2 "vethadd: 65537: invalid MTU" vethadd --mtu 65537 a b; }
@test "bad: vethadd --mtu 1500x a b" { bad 2 "vethadd: 1500x: invalid MTU" vethadd --mtu 1500x a b; }
@test "bad: vethadd -a 10.0.0.1 a b" { bad 2 "vethadd: 10.0.0.1: invalid address" vethadd -a 10.0.0.1 a b; }
@test "bad: vethadd -a 10.0.0.1/33 a b" { bad 2 "vethadd: 10.0.0.1/33: invalid address" vethadd -a 10.0.0.1/33 a b; }
@test "bad: vethadd -A fe80::1/129 a b" { bad 2 "vethadd: fe80::1/129: invalid address" vethadd -A fe80::1/129 a b; }
@test "bad: vethadd sixteen-chars-xx b" { bad 2 "vethadd: sixteen-chars-xx: invalid interface name" vethadd sixteen-chars-xx b; }
@test "bad: vethadd a b/c" { bad 2 "vethadd: b/c: invalid interface name" vethadd a b/c; }
@test "bad: vethadd 'a b' c" { bad 2 "vethadd: a b: invalid interface name" vethadd 'a b' c; }
@test "bad: vethadd :a b" { bad 2 "vethadd: :a: invalid endpoint" vethadd :a b; }
@test "bad: vethadd ../ns:a b" { bad 1 "vethadd: ../ns: No such file or directory" vethadd ../ns:a b; }
@test "bad: vethadd nope:a b" { bad 1 "vethadd: nope: No such file or directory" vethadd nope:a b; }
@test "bad: vethadd -m nosuchbr a b" { bad 1 "vethadd: nosuchbr: No such device" vethadd -m nosuchbr a b; }
@test "bad: vethadd -n nope a b" { bad 1 "vethadd: nope: No such file or directory" vethadd -n nope a b; }
@test "bad: bradd" { bad 2 "bradd: NAME: missing operand" bradd; }
@test "bad: bradd br0 10.0.0.1" { bad 2 "bradd: 10.0.0.1: invalid address" bradd br0 10.0.0.1; }
@test "bad: bradd br0 banana" { bad 2 "bradd: banana: invalid address" bradd br0 banana; }
@test "bad: bradd --mtu 1500 br0" { bad 2 "bradd: --mtu: unknown option" bradd --mtu 1500 br0; }
@test "bad: iplink frob" { bad 2 "iplink: frob: unknown command" iplink frob; }
@test "bad: iplink show a b" { bad 2 "iplink: b: unexpected argument" iplink show a b; }
@test "bad: iplink set" { bad 2 "iplink: DEV: missing operand" iplink set; }
@test "bad: iplink set lo mtu x" { bad 2 "iplink: x: invalid MTU" iplink set lo mtu x; }
@test "bad: iplink set lo mtu 67" { bad 2 "iplink: 67: invalid MTU" iplink set lo mtu 67; }
@test "bad: iplink set lo address 02:00:00:00:00" { bad 2 "iplink: 02:00:00:00:00: invalid MAC address" iplink set lo address 02:00:00:00:00; }
@test "bad: iplink set lo upp" { bad 2 "iplink: upp: unknown keyword" iplink set lo upp; }
@test "bad: iplink set lo master" { bad 2 "iplink: master: missing argument" iplink set lo master; }
@test "bad: iplink set nope up" { bad 1 "iplink: nope: No such device" iplink set nope up; }
@test "bad: iplink del" { bad 2 "iplink: DEV: missing operand" iplink del; }
@test "bad: iplink del nope" { bad 1 "iplink: nope: No such device" iplink del nope; }
@test "bad: iplink -n nope show" { bad 1 "iplink: nope: No such file or directory" iplink -n nope show; }
@test "bad: ipaddr add 10.0.0.1/24" { bad 2 "ipaddr: dev: missing operand" ipaddr add 10.0.0.1/24; }
@test "bad: ipaddr add 10.0.0.1/24 dev" { bad 2 "ipaddr: dev: missing argument" ipaddr add 10.0.0.1/24 dev; }
@test "bad: ipaddr add 10.0.0.1 dev lo" { bad 2 "ipaddr: 10.0.0.1: invalid address" ipaddr add 10.0.0.1 dev lo; }
@test "bad: ipaddr add 10.0.0.256/24 dev lo" { bad 2 "ipaddr: 10.0.0.256/24: invalid address" ipaddr add 10.0.0.256/24 dev lo; }
@test "bad: ipaddr add 10.0.0.1/24 dev nope" { bad 1 "ipaddr: nope: No such device" ipaddr add 10.0.0.1/24 dev nope; }
@test "bad: ipaddr del 10.0.0.9/24 dev lo" { bad 1 "ipaddr: 10.0.0.9/24: Cannot assign requested address: ipv4: Address not found" ipaddr del 10.0.0.9/24 dev lo; }
@test "bad: ipaddr flush" { bad 2 "ipaddr: DEV: missing operand" ipaddr flush; }
@test "bad: ipaddr frob" { bad 2 "ipaddr: frob: unknown command" ipaddr frob; }
@test "bad: iproute add" { bad 2 "iproute: PREFIX: missing operand" iproute add; }
@test "bad: iproute add 10.0.0.0/8 via 10.0.0.300" { bad 2 "iproute: 10.0.0.300: invalid address" iproute add 10.0.0.0/8 via 10.0.0.300; }
@test "bad: iproute add 10.0.0.0/8 via 10.0.0.1 metric x" { bad 2 "iproute: x: invalid metric" iproute add 10.0.0.0/8 via 10.0.0.1 metric x; }
@test "bad: iproute add 10.0.0.0/8 dev nope" { bad 1 "iproute: nope: No such device" iproute add 10.0.0.0/8 dev nope; }
@test "bad: iproute add 10.0.0.0/8 scope galaxy dev lo" { bad 2 "iproute: galaxy: invalid scope" iproute add 10.0.0.0/8 scope galaxy dev lo; }
@test "bad: iproute add 10.0.0.0/8 via 10.9.9.9" { bad 1 "iproute: 10.0.0.0/8: Network is unreachable: Nexthop has invalid gateway" iproute add 10.0.0.0/8 via 10.9.9.9; }
@test "bad: iproute del 10.0.0.0/8" { bad 1 "iproute: 10.0.0.0/8: No such process" iproute del 10.0.0.0/8; }
@test "bad: iproute get" { bad 2 "iproute: ADDR: missing operand" iproute get; }
@test "bad: iproute get banana" { bad 2 "iproute: banana: invalid address" iproute get banana; }
@test "bad: iproute frob" { bad 2 "iproute: frob: unknown command" iproute frob; }
@test "bad: pingtest" { bad 2 "pingtest: HOST: missing operand" pingtest; }
@test "bad: pingtest -c 0 127.0.0.1" { bad 2 "pingtest: 0: invalid count" pingtest -c 0 127.0.0.1; }
@test "bad: pingtest -c x 127.0.0.1" { bad 2 "pingtest: x: invalid count" pingtest -c x 127.0.0.1; }
@test "bad: pingtest -i 0.0001 127.0.0.1" { bad 2 "pingtest: 0.0001: invalid interval" pingtest -i 0.0001 127.0.0.1; }
@test "bad: pingtest -W -1 127.0.0.1" { bad 2 "pingtest: -1: invalid timeout" pingtest -W -1 127.0.0.1; }
@test "bad: pingtest -s 70000 127.0.0.1" { bad 2 "pingtest: 70000: invalid packet size" pingtest -s 70000 127.0.0.1; }
@test "bad: pingtest --tcp 0 127.0.0.1" { bad 2 "pingtest: 0: invalid port" pingtest --tcp 0 127.0.0.1; }
@test "bad: pingtest no.such.host.invalid" { bad 2 "pingtest: no.such.host.invalid: unknown host" pingtest no.such.host.invalid; }
@test "bad: pingtest -n nope 127.0.0.1" { bad 1 "pingtest: nope: No such file or directory" pingtest -n nope 127.0.0.1; }
@test "bad: pingtest -I nope 127.0.0.1" { bad 1 "pingtest: nope: No such device" pingtest -I nope 127.0.0.1; }
@test "bad: pingtest 127.0.0.1 127.0.0.2" { bad 2 "pingtest: 127.0.0.2: unexpected argument" pingtest 127.0.0.1 127.0.0.2; }
@test "bad: natmasq 10.0.0.0/33" { bad 2 "natmasq: 10.0.0.0/33: invalid prefix" natmasq 10.0.0.0/33; }
@test "bad: natmasq banana/8" { bad 2 "natmasq: banana/8: invalid prefix" natmasq banana/8; }
@test "bad: natmasq 10.0.0.0/8 -o" { bad 2 "natmasq: -o: option needs an argument" natmasq 10.0.0.0/8 -o; }
@test "bad: natmasq 10.0.0.0/8 -o sixteen-chars-xxx" { bad 2 "natmasq: sixteen-chars-xxx: invalid interface name" natmasq 10.0.0.0/8 -o sixteen-chars-xxx; }
@test "bad: natmasq 10.0.0.0/8 -o a/b" { bad 2 "natmasq: a/b: invalid interface name" natmasq 10.0.0.0/8 -o a/b; }
@test "bad: natmasq 10.0.0.0/8 10.1.0.0/16" { bad 2 "natmasq: 10.1.0.0/16: unexpected argument" natmasq 10.0.0.0/8 10.1.0.0/16; }
@test "bad: natmasq -x 10.0.0.0/8" { bad 2 "natmasq: -x: unknown option" natmasq -x 10.0.0.0/8; }
@test "bad: natmasq -n nope 10.0.0.0/8" { bad 1 "natmasq: nope: No such file or directory" natmasq -n nope 10.0.0.0/8; }
@test "bad: natmasq -d 10.99.0.0/16" { bad 1 "natmasq: 10.99.0.0/16: No such file or directory" natmasq -d 10.99.0.0/16; }
@test "bad: natdnat 8000" { bad 2 "natdnat: TO_ADDR: missing operand" natdnat 8000; }
@test "bad: natdnat 0 10.0.0.1" { bad 2 "natdnat: 0: invalid port (1-65535, or LOW-HIGH with LOW <= HIGH)" natdnat 0 10.0.0.1; }
@test "bad: natdnat 65536 10.0.0.1" { bad 2 "natdnat: 65536: invalid port (1-65535, or LOW-HIGH with LOW <= HIGH)" natdnat 65536 10.0.0.1; }
@test "bad: natdnat 9000-8000 10.0.0.1" { bad 2 "natdnat: 9000-8000: invalid port (1-65535, or LOW-HIGH with LOW <= HIGH)" natdnat 9000-8000 10.0.0.1; }
@test "bad: natdnat -p icmp 8000 10.0.0.1" { bad 2 "natdnat: icmp: unknown protocol (tcp or udp)" natdnat -p icmp 8000 10.0.0.1; }
@test "bad: natdnat -p tcp 8000 10.0.0.1:0" { bad 2 "natdnat: 10.0.0.1:0: invalid port (1-65535, or LOW-HIGH with LOW <= HIGH)" natdnat -p tcp 8000 10.0.0.1:0; }
@test "bad: natdnat 8000 10.0.0.1:99999" { bad 2 "natdnat: 10.0.0.1:99999: invalid port (1-65535, or LOW-HIGH with LOW <= HIGH)" natdnat 8000 10.0.0.1:99999; }
@test "bad: natdnat 8000 banana" { bad 2 "natdnat: banana: invalid address" natdnat 8000 banana; }
@test "bad: natdnat 1.2.3:8000 10.0.0.1" { bad 2 "natdnat: 1.2.3:8000: invalid address" natdnat 1.2.3:8000 10.0.0.1; }
@test "bad: natdnat -i sixteen-chars-xxx 8000 10.0.0.1" { bad 2 "natdnat: sixteen-chars-xxx: invalid interface name" natdnat -i sixteen-chars-xxx 8000 10.0.0.1; }
@test "bad: natdnat 127.0.0.1:8000 10.0.0.1" { bad 2 "natdnat: 127.0.0.1:8000: 127.0.0.0/8 cannot be forwarded (it needs route_localnet)" natdnat 127.0.0.1:8000 10.0.0.1; }
@test "bad: natdnat 8000 127.0.0.1" { bad 2 "natdnat: 127.0.0.1: 127.0.0.0/8 cannot be forwarded (it needs route_localnet)" natdnat 8000 127.0.0.1; }
@test "bad: natdnat -n nope 8000 10.0.0.1" { bad 1 "natdnat: nope: No such file or directory" natdnat -n nope 8000 10.0.0.1; }
@test "bad: natdnat -d 8123 10.0.0.1" { bad 1 "natdnat: 8123: No such file or directory" natdnat -d 8123 10.0.0.1; }
@test "bad: nsgraph -x" { bad 2 "nsgraph: -x: unknown option" nsgraph -x; }
@test "bad: nsgraph foo" { bad 2 "nsgraph: foo: unexpected argument" nsgraph foo; }
@test "bad: nsgraph -j --dot" { bad 2 "nsgraph: --dot: -j and --dot exclude each other" nsgraph -j --dot; }
@test "bad: batch, a usage error on line 1" { bad 2 "/run/b-usage:1: vethadd: PEER: missing operand" nsbox -b /run/b-usage; }
@test "bad: batch, a refusal on line 1" { bad 1 "/run/b-refused:1: nsadd: a: File exists" nsbox -b /run/b-refused; }
@test "bad: batch, an unterminated quote" { bad 2 "/run/b-quote:1: nsbox: unterminated quote" nsbox -b /run/b-quote; }
@test "bad: batch, an unknown applet after a comment" { bad 127 "/run/b-unknown:3: nsbox: frob: applet not found" nsbox -b /run/b-unknown; }
@test "bad: batch, stops before the line after a failure" { bad 2 "/run/b-nat:1: natdnat: sctp: unknown protocol (tcp or udp)" nsbox -b /run/b-nat; }
@test "bad: batch, a missing file" { bad 1 "nsbox: /nonexistent: No such file or directory" nsbox -b /nonexistent; }
@test "bad: batch, -b without a file" { bad 2 "nsbox: -b: usage: nsbox -b FILE|- [-f]" nsbox -b; }
@test "bad: unknown applet" { bad 127 "nsbox: frob: applet not found" nsbox frob; }
