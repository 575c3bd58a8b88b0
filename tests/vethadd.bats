#!/usr/bin/env bats
# vethadd: checked with ip -j in every namespace involved, and ping

load helper

# the names of the links in NS ("" = ours), sorted, blank-separated
links_in() {
	if [ -n "$1" ]; then ip -n "$1" -j link show; else ip -j link show; fi |
		jq -r '[.[].ifname] | sort | join(" ")'
}

@test "vethadd: a pair here, both ends up, peers of each other" {
	run vethadd v0 v1
	assert_success
	assert_output ""
	[ "$(ip -j link show v0 | jq -r '.[0].link')" = v1 ]
	[ "$(ip -j link show v1 | jq -r '.[0].link')" = v0 ]
	ip -j link show v0 | jq -e '.[0].flags | index("UP")'
	ip -j link show v1 | jq -e '.[0].flags | index("UP")'
}

@test "vethadd: each end lands in its namespace, with --mtu on both" {
	nsadd a b
	vethadd --mtu 1400 a:x b:y
	[ "$(links_in a)" = "lo x" ]
	[ "$(links_in b)" = "lo y" ]
	[ "$(links_in "")" = "lo" ]
	[ "$(ip -n a -j link show x | jq -r '.[0].mtu')" = 1400 ]
	[ "$(ip -n b -j link show y | jq -r '.[0].mtu')" = 1400 ]
	[ "$(ip -n a -j link show x | jq -r '.[0].link_netnsid')" != null ]
}

@test "vethadd: both ends may share a name in different namespaces" {
	nsadd a b
	vethadd a:eth0 b:eth0
	[ "$(links_in a)" = "eth0 lo" ]
	[ "$(links_in b)" = "eth0 lo" ]
}

@test "vethadd: -n puts ends without NS: there; a path works as NETNS" {
	nsadd a b
	vethadd -n a x /run/netns/b:y
	[ "$(links_in a)" = "lo x" ]
	[ "$(links_in b)" = "lo y" ]
}

@test "vethadd: each end has one tx and one rx queue, the one in use" {
	nsadd a
	vethadd a:x y
	ip -d -j link show y | jq -e '.[0] | .num_tx_queues == 1 and .num_rx_queues == 1'
	ip -n a -d -j link show x | jq -e '.[0] | .num_tx_queues == 1 and .num_rx_queues == 1'
	[ "$(ls /sys/class/net/y/queues | sort | tr '\n' ' ')" = "rx-0 tx-0 " ]
	[ "$(ip netns exec a ls /sys/class/net/x/queues | sort | tr '\n' ' ')" = "rx-0 tx-0 " ]
}

@test "vethadd: --down leaves both ends down" {
	vethadd --down v0 v1
	ip -j link show v0 | jq -e '.[0].flags | index("UP") | not'
	ip -j link show v1 | jq -e '.[0].flags | index("UP") | not'
}

@test "vethadd: -a, -A and -m configure the ends, and ping works" {
	nsadd earth
	bradd br0 10.10.0.1/16
	vethadd -a 10.10.0.10/16 -A fd00::2/64 -m br0 earth:e0 e0-br
	[ "$(ip -n earth -j addr show e0 | jq -r '.[0].addr_info[] | select(.family=="inet") | "\(.local)/\(.prefixlen)"')" = 10.10.0.10/16 ]
	ip -j addr show e0-br | jq -e '.[0].addr_info[] | select(.local=="fd00::2" and .prefixlen==64)'
	[ "$(ip -j link show e0-br | jq -r '.[0].master')" = br0 ]
	ping -c1 -W1 10.10.0.10
}

@test "vethadd: -m with no such bridge leaves no interface anywhere" {
	nsadd a
	run --separate-stderr vethadd -m nosuchbr a:x y
	assert_failure 1
	[ "$(first_err)" = "vethadd: nosuchbr: No such device" ]
	[ "$(links_in a)" = lo ]
	[ "$(links_in "")" = lo ]
}

@test "vethadd: -m naming a non-bridge leaves no interface anywhere" {
	nsadd a
	vethadd other other-peer
	run --separate-stderr vethadd -m other a:x y
	assert_failure 1
	[[ "$(first_err)" = "vethadd: other: "* ]]
	[ "$(links_in a)" = lo ]
	[ "$(links_in "")" = "lo other other-peer" ]
}

@test "vethadd: an address the kernel refuses leaves no interface anywhere" {
	nsadd a b
	run --separate-stderr vethadd -a 10.0.0.1/24 -A ff02::1/64 a:x b:y
	assert_failure 1
	[[ "$(first_err)" = "vethadd: ff02::1/64: Cannot assign requested address"* ]]
	[ "$(links_in a)" = lo ]
	[ "$(links_in b)" = lo ]
}

@test "vethadd: bad arguments exit 2 and send nothing" {
	nsadd a
	run --separate-stderr vethadd -a 10.0.0.1/99 a:x y
	assert_failure 2
	[ "$(first_err)" = "vethadd: 10.0.0.1/99: invalid address" ]
	run --separate-stderr vethadd -a 10.0.0.1 x y
	assert_failure 2
	[ "$(first_err)" = "vethadd: 10.0.0.1: invalid address" ]
	run --separate-stderr vethadd --mtu 1500x x y
	assert_failure 2
	[ "$(first_err)" = "vethadd: 1500x: invalid MTU" ]
	run --separate-stderr vethadd --mtu 0 x y
	assert_failure 2
	[ "$(first_err)" = "vethadd: 0: invalid MTU" ]
	run --separate-stderr vethadd sixteen-chars-xx y
	assert_failure 2
	[ "$(first_err)" = "vethadd: sixteen-chars-xx: invalid interface name" ]
	run --separate-stderr vethadd 'a b' y
	assert_failure 2
	[ "$(first_err)" = "vethadd: a b: invalid interface name" ]
	run --separate-stderr vethadd -m a/b x y
	assert_failure 2
	[ "$(first_err)" = "vethadd: a/b: invalid interface name" ]
	run --separate-stderr vethadd x
	assert_failure 2
	[ "$(first_err)" = "vethadd: PEER: missing operand" ]
	run --separate-stderr vethadd x y z
	assert_failure 2
	[ "$(first_err)" = "vethadd: z: unexpected argument" ]
	[ "$(links_in "")" = lo ]
	[ "$(links_in a)" = lo ]
}

@test "vethadd: an existing name fails; -e accepts the same pair only" {
	nsadd a
	vethadd a:x y
	run --separate-stderr vethadd a:x y
	assert_failure 1
	[ "$(first_err)" = "vethadd: a:x: File exists" ]
	run vethadd -e a:x y
	assert_success
	vethadd p q
	run --separate-stderr vethadd -e a:x q
	assert_failure 1
	[ "$(first_err)" = "vethadd: a:x: File exists" ]
	# the failed -e deleted nothing that was already there
	[ "$(links_in a)" = "lo x" ]
	[ "$(links_in "")" = "lo p q y" ]
}

@test "vethadd: a missing namespace exits 1" {
	run --separate-stderr vethadd nope:x y
	assert_failure 1
	[ "$(first_err)" = "vethadd: nope: No such file or directory" ]
}

@test "vethadd: --help prints the synopsis" {
	run vethadd --help
	assert_success
	assert_line --index 0 "vethadd [-n NETNS] [-e] [--down] [--mtu N] [-a CIDR] [-A CIDR] [-m BRIDGE] [NS:]NAME [NS:]PEER"
}
