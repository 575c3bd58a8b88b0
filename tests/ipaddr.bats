#!/usr/bin/env bats
# ipaddr: changes checked with ip -j; show and -j compared with ip -j

load helper

KEYS='[.[] | {ifindex, ifname, flags, mtu, operstate, master, address, addr_info: [.addr_info[] | {family, local, prefixlen, scope, label, broadcast}]}]'

pair() {
	ip link add v0 type veth peer name v1
	ip link set v0 up
	ip link set v1 up
}

@test "ipaddr: add IPv4 and IPv6, seen by ip -j, ping answers" {
	nsadd a
	ip link add v0 type veth peer name v1 netns a
	ip link set v0 up
	ip -n a link set v1 up
	run ipaddr add 10.5.0.1/24 dev v0
	assert_success
	assert_output ""
	ipaddr -n a add 10.5.0.2/24 dev v1
	ipaddr add fd00::1/64 dev v0
	ip -j addr show v0 | jq -e '.[0].addr_info[] | select(.local=="10.5.0.1" and .prefixlen==24)'
	ip -j addr show v0 | jq -e '.[0].addr_info[] | select(.local=="fd00::1" and .prefixlen==64)'
	ping -c1 -W1 10.5.0.2
}

@test "ipaddr: -j, -4 and -6 agree with ip -j" {
	pair
	ip addr add 10.5.0.1/24 dev v0
	ip addr add 10.5.1.1/24 brd + dev v0
	ip addr add fd00::1/64 dev v1
	for f in "" -4 -6; do
		[ "$(ipaddr $f -j | jq -c "$KEYS")" = "$(ip $f -j addr show | jq -c "$KEYS")" ]
		[ "$(ipaddr $f -j show v0 | jq -c "$KEYS")" = "$(ip $f -j addr show v0 | jq -c "$KEYS")" ]
	done
}

@test "ipaddr: show prints ip's address lines" {
	pair
	ip addr add 10.5.0.1/24 dev v0
	run ipaddr show v0
	assert_success
	assert_line --index 0 --regexp '^[0-9]+: v0@v1: <.*UP.*> mtu 1500 state (UP|UNKNOWN|LOWERLAYERDOWN)$'
	assert_line "    inet 10.5.0.1/24 scope global v0"
}

@test "ipaddr: del and -e" {
	pair
	ip addr add 10.5.0.1/24 dev v0
	fails_prefix 1 "ipaddr: 10.5.0.1/24: File exists" ipaddr add 10.5.0.1/24 dev v0
	run ipaddr -e add 10.5.0.1/24 dev v0
	assert_success
	ipaddr del 10.5.0.1/24 dev v0
	[ "$(ip -4 -j addr show v0 | jq length)" = 0 ]
	fails_prefix 1 "ipaddr: 10.5.0.1/24: Cannot assign requested address" ipaddr del 10.5.0.1/24 dev v0
	run ipaddr -e del 10.5.0.1/24 dev v0
	assert_success
}

@test "ipaddr: flush, and flush -4 keeps IPv6" {
	pair
	ip addr add 10.5.0.1/24 dev v0
	ip addr add 10.5.0.2/24 dev v0
	ip addr add fd00::1/64 dev v0
	ipaddr -4 flush v0
	[ "$(ip -4 -j addr show v0 | jq length)" = 0 ]
	ip -6 -j addr show v0 | jq -e '.[0].addr_info[] | select(.local=="fd00::1")'
	ipaddr flush v0
	[ "$(ip -j addr show v0 | jq '.[0].addr_info | length')" = 0 ]
}

@test "ipaddr: bad arguments exit 2 and add nothing" {
	pair
	for args in "add 10.5.0.1/33 dev v0" "add 10.5.0.1 dev v0" "add 10.5.0.1/24x dev v0" \
		"add 10.5.0.1/24 v0" "add 10.5.0.1/24 dev" "add 10.5.0.1/24 dev a/b" \
		"add 10.5.0.1/24 device v0" "-6 add 10.5.0.1/24 dev v0" "flush" "frob" "add dev v0"; do
		run --separate-stderr ipaddr $args
		assert_failure 2
	done
	fails 2 "ipaddr: 10.5.0.1/33: invalid address" ipaddr add 10.5.0.1/33 dev v0
	fails 2 "ipaddr: a/b: invalid interface name" ipaddr add 10.5.0.1/24 dev a/b
	fails 2 "ipaddr: dev: missing operand" ipaddr add 10.5.0.1/24
	[ "$(ip -4 -j addr show v0 | jq length)" = 0 ]
	fails 1 "ipaddr: nosuch: No such device" ipaddr add 10.5.0.1/24 dev nosuch
}

@test "ipaddr: --help prints the synopsis" {
	run ipaddr --help
	assert_success
	assert_line --index 0 "ipaddr  [-n NETNS] [-j] [-4|-6] [show [DEV]]"
}
