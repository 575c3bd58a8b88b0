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
	fails 1 "vethadd: nosuchbr: No such device" vethadd -m nosuchbr a:x y
	[ "$(links_in a)" = lo ]
	[ "$(links_in "")" = lo ]
}

@test "vethadd: -m naming a non-bridge leaves no interface anywhere" {
	nsadd a
	vethadd other other-peer
	fails_prefix 1 "vethadd: other: " vethadd -m other a:x y
	[ "$(links_in a)" = lo ]
	[ "$(links_in "")" = "lo other other-peer" ]
}

@test "vethadd: an address the kernel refuses leaves no interface anywhere" {
	nsadd a b
	fails_prefix 1 "vethadd: ff02::1/64: Cannot assign requested address" vethadd -a 10.0.0.1/24 -A ff02::1/64 a:x b:y
	[ "$(links_in a)" = lo ]
	[ "$(links_in b)" = lo ]
}

@test "vethadd: bad arguments exit 2 and send nothing" {
	nsadd a
	fails 2 "vethadd: 10.0.0.1/99: invalid address" vethadd -a 10.0.0.1/99 a:x y
	fails 2 "vethadd: 10.0.0.1: invalid address" vethadd -a 10.0.0.1 x y
	fails 2 "vethadd: 1500x: invalid MTU" vethadd --mtu 1500x x y
	fails 2 "vethadd: 0: invalid MTU" vethadd --mtu 0 x y
	fails 2 "vethadd: sixteen-chars-xx: invalid interface name" vethadd sixteen-chars-xx y
	fails 2 "vethadd: a b: invalid interface name" vethadd 'a b' y
	fails 2 "vethadd: a/b: invalid interface name" vethadd -m a/b x y
	fails 2 "vethadd: PEER: missing operand" vethadd x
	fails 2 "vethadd: z: unexpected argument" vethadd x y z
	[ "$(links_in "")" = lo ]
	[ "$(links_in a)" = lo ]
}

@test "vethadd: an existing name fails; -e accepts the same pair only" {
	nsadd a
	vethadd a:x y
	fails 1 "vethadd: a:x: File exists" vethadd a:x y
	run vethadd -e a:x y
	assert_success
	vethadd p q
	fails 1 "vethadd: a:x: File exists" vethadd -e a:x q
	# the failed -e deleted nothing that was already there
	[ "$(links_in a)" = "lo x" ]
	[ "$(links_in "")" = "lo p q y" ]
}

@test "vethadd: a missing namespace exits 1" {
	fails 1 "vethadd: nope: No such file or directory" vethadd nope:x y
}

@test "vethadd: --help prints the synopsis" {
	run vethadd --help
	assert_success
	assert_line --index 0 "vethadd [-n NETNS] [-e] [--down] [--mtu N] [-a CIDR] [-A CIDR] [-m BRIDGE] [NS:]NAME [NS:]PEER"
}
