#!/usr/bin/env bats
# iplink: changes checked with ip -j; show and -j compared with ip -j

load helper

# the keys iplink -j shares with ip -j, for every link
KEYS='[.[] | {ifindex, ifname, flags, mtu, operstate, master, link, link_index, link_netnsid, link_type, address, broadcast}]'

@test "iplink: -j agrees with ip -j on every link" {
	nsadd a
	ip link add br0 type bridge
	ip link add v0 mtu 1400 type veth peer name v1
	ip link set v1 master br0
	ip link set v0 up
	ip link set br0 up
	ip link add x0 type veth peer name x1 netns a
	[ "$(iplink -j | jq -c "$KEYS")" = "$(ip -j link show | jq -c "$KEYS")" ]
	[ "$(iplink -j show v1 | jq -c "$KEYS")" = "$(ip -j link show v1 | jq -c "$KEYS")" ]
	[ "$(iplink -n a -j | jq -c "$KEYS")" = "$(ip -n a -j link show | jq -c "$KEYS")" ]
}

@test "iplink: show prints ip's first words and link lines" {
	nsadd a
	ip link add br0 type bridge
	ip link add v0 type veth peer name v1
	ip link set v1 master br0
	ip link add x0 type veth peer name x1 netns a
	# ip's text minus the parts nsbox leaves out (qdisc, mode, group, qlen)
	strip() { sed -E 's/ qdisc [a-z_]+//; s/ mode [A-Z]+//; s/ group [a-z0-9]+//; s/ qlen [0-9]+//; s/ link-netns a$/ link-netnsid 0/; s/ +$//'; }
	diff <(iplink show) <(ip link show | strip)
	diff <(iplink show v1) <(ip link show v1 | strip)
	iplink show v1 | grep -q '^[0-9]*: v1@v0: <.*> mtu 1500 master br0 state DOWN$'
}

@test "iplink: set up, down, mtu, address and name in one go" {
	ip link add v0 type veth peer name v1
	run iplink set v0 up mtu 1400 address 02:00:00:aa:bb:cc name eth0
	assert_success
	assert_output ""
	j=$(ip -j link show eth0)
	jq -e '.[0].flags | index("UP")' <<<"$j"
	[ "$(jq -r '.[0].mtu' <<<"$j")" = 1400 ]
	[ "$(jq -r '.[0].address' <<<"$j")" = 02:00:00:aa:bb:cc ]
	iplink set eth0 down
	ip -j link show eth0 | jq -e '.[0].flags | index("UP") | not'
}

@test "iplink: promisc, allmulticast, multicast, arp on|off and txqueuelen in one request" {
	ip link add v0 type veth peer name v1
	run iplink set v0 promisc on allmulticast on multicast off arp off txqueuelen 500
	assert_success
	assert_output ""
	j=$(ip -j link show v0)
	[ "$(jq -c '.[0].flags | sort' <<<"$j")" = '["ALLMULTI","BROADCAST","M-DOWN","NOARP","PROMISC"]' ]
	[ "$(jq -r '.[0].txqlen' <<<"$j")" = 500 ]
	iplink set v0 promisc off allmulticast off multicast on arp on txqlen 0
	j=$(ip -j link show v0)
	[ "$(jq -c '.[0].flags | sort' <<<"$j")" = '["BROADCAST","M-DOWN","MULTICAST"]' ]
	[ "$(jq -r '.[0].txqlen // 0' <<<"$j")" = 0 ]
	iplink set v0 qlen 7
	[ "$(ip -j link show v0 | jq -r '.[0].txqlen')" = 7 ]
	fails 2 "iplink: maybe: on or off expected" iplink set v0 promisc maybe
	fails 2 "iplink: -1: invalid queue length" iplink set v0 qlen -1
	fails 2 "iplink: arp: given twice" iplink set v0 arp on arp off
	fails 2 "iplink: arp: missing argument" iplink set v0 arp
	# a refused word anywhere sends nothing
	fails 2 "iplink: frob: unknown keyword" iplink set v0 promisc on frob
	ip -j link show v0 | jq -e '.[0].flags | index("PROMISC") | not'
}

@test "iplink: master and nomaster" {
	ip link add br0 type bridge
	ip link add v0 type veth peer name v1
	iplink set v0 master br0
	[ "$(ip -j link show v0 | jq -r '.[0].master')" = br0 ]
	iplink set v0 nomaster
	[ "$(ip -j link show v0 | jq -r '.[0].master')" = null ]
}

@test "iplink: netns by name and by path, and -n" {
	nsadd a b
	ip link add v0 type veth peer name v1
	iplink set v0 netns a
	ip -n a link show v0
	fails 1 'Device "v0" does not exist.' ip link show v0
	iplink -n a set v0 netns /run/netns/b name w0 up
	ip -n b -j link show w0 | jq -e '.[0].flags | index("UP")'
	[ "$(ip -n a -j link show | jq length)" = 1 ]
}

@test "iplink: a refused set exits 1 naming what failed" {
	ip link add v0 type veth peer name v1
	fails_prefix 1 "iplink: v0: " iplink set v0 master v1
	[ "$(ip -j link show v0 | jq -r '.[0].master')" = null ]
	fails 1 "iplink: nosuch: No such device" iplink set v0 master nosuch
	fails 1 "iplink: nosuch: No such file or directory" iplink set v0 netns nosuch
	ip link show v0
}

@test "iplink: del, -e and errors" {
	ip link add v0 type veth peer name v1
	ip link add br0 type bridge
	iplink del v0 br0
	[ "$(ip -j link show | jq length)" = 1 ]
	fails 1 "iplink: v0: No such device" iplink del v0
	run iplink -e del v0
	assert_success
}

@test "iplink: bad arguments exit 2 and change nothing" {
	ip link add v0 type veth peer name v1
	for args in "set v0 mtu 1500x" "set v0 mtu 01500" "set v0 mtu 67" "set v0 mtu" \
		"set v0 address 02:00:00:aa:bb" "set v0 address 02:00:00:aa:bb:cc:dd" \
		"set v0 upp" "set v0 up frob" "set v0 name a/b" "set v0 name sixteen-chars-xx" \
		"set v0 netns ." "del a:b" "frob" "show v0 v1"; do
		run --separate-stderr iplink $args
		assert_failure 2
	done
	fails 2 "iplink: 1500x: invalid MTU" iplink set v0 mtu 1500x
	fails 2 "iplink: upp: unknown keyword" iplink set v0 upp
	fails 2 "iplink: 02:00:00:aa:bb: invalid MAC address" iplink set v0 address 02:00:00:aa:bb
	fails 2 "iplink: mtu: missing argument" iplink set v0 mtu
	fails 2 "iplink: a b: invalid interface name" iplink set v0 name 'a b'
	fails 2 "iplink: frob: unknown command" iplink frob
	[ "$(ip -j link show v0 | jq -r '.[0].mtu')" = 1500 ]
}

@test "iplink: --help prints the synopsis" {
	run iplink --help
	assert_success
	assert_line --index 0 "iplink  [-n NETNS] [-j] [-s] [show [DEV]]"
}
