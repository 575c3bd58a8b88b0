#!/usr/bin/env bats
# bradd: checked with ip -j and ping

load helper

@test "bradd: a bridge, up, with its addresses" {
	run bradd br0 10.1.0.1/16 fd00::1/64
	assert_success
	assert_output ""
	[ "$(ip -j -d link show br0 | jq -r '.[0].linkinfo.info_kind')" = bridge ]
	ip -j link show br0 | jq -e '.[0].flags | index("UP")'
	[ "$(ip -4 -j addr show br0 | jq -r '.[0].addr_info[0] | "\(.local)/\(.prefixlen)"')" = 10.1.0.1/16 ]
	ip -6 -j addr show br0 | jq -e '.[0].addr_info[] | select(.local=="fd00::1")'
}

@test "bradd: --down and -n" {
	nsadd a
	bradd -n a --down br0
	ip -n a -j link show br0 | jq -e '.[0].flags | index("UP") | not'
	fails 1 'Device "br0" does not exist.' ip link show br0
}

@test "bradd: a refused address deletes the bridge again" {
	fails_prefix 1 "bradd: 10.1.0.1/16: File exists" bradd br0 10.1.0.1/16 10.1.0.1/16
	fails 1 'Device "br0" does not exist.' ip link show br0
}

@test "bradd: -e accepts an existing bridge, not another kind" {
	bradd br0
	fails 1 "bradd: br0: File exists" bradd br0
	run bradd -e br0
	assert_success
	fails 1 "bradd: lo: File exists" bradd -e lo
}

@test "bradd: bad arguments exit 2 and create nothing" {
	fails 2 "bradd: 10.1.0.1/16x: invalid address" bradd br0 10.1.0.1/16x
	fails 2 "bradd: br:0: invalid interface name" bradd br:0
	fails 2 "bradd: NAME: missing operand" bradd
	[ "$(ip -j link show | jq length)" = 1 ]
}

@test "bradd: --help prints the synopsis" {
	run bradd --help
	assert_success
	assert_line --index 0 "bradd [-n NETNS] [-e] [--down] NAME [CIDR...]"
}
