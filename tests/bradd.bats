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
	! ip link show br0
}

@test "bradd: a refused address deletes the bridge again" {
	run --separate-stderr bradd br0 10.1.0.1/16 10.1.0.1/16
	assert_failure 1
	[[ "$(first_err)" = "bradd: 10.1.0.1/16: File exists"* ]]
	! ip link show br0
}

@test "bradd: -e accepts an existing bridge, not another kind" {
	bradd br0
	run --separate-stderr bradd br0
	assert_failure 1
	[ "$(first_err)" = "bradd: br0: File exists" ]
	run bradd -e br0
	assert_success
	run --separate-stderr bradd -e lo
	assert_failure 1
	[ "$(first_err)" = "bradd: lo: File exists" ]
}

@test "bradd: bad arguments exit 2 and create nothing" {
	run --separate-stderr bradd br0 10.1.0.1/16x
	assert_failure 2
	[ "$(first_err)" = "bradd: 10.1.0.1/16x: invalid address" ]
	run --separate-stderr bradd br:0
	assert_failure 2
	[ "$(first_err)" = "bradd: br:0: invalid interface name" ]
	run --separate-stderr bradd
	assert_failure 2
	[ "$(first_err)" = "bradd: NAME: missing operand" ]
	[ "$(ip -j link show | jq length)" = 1 ]
}

@test "bradd: --help prints the synopsis" {
	run bradd --help
	assert_success
	assert_line --index 0 "bradd [-n NETNS] [-e] [--down] NAME [CIDR...]"
}
