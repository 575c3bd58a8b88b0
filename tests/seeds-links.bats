#!/usr/bin/env bats
# The three seed topologies, configured by nsbox alone and checked with
# ip -j and iputils ping.

load helper

LKEYS='[.[] | {ifindex, ifname, flags, mtu, operstate, master, link, link_index, link_netnsid, address}]'
RKEYS='[.[] | {dst, gateway, dev, protocol, scope, prefsrc, metric}]'

@test "seed 1: host and one namespace, two subnets, scope-link routes both ways" {
	nsadd ns1
	vethadd -a 10.0.1.1/24 -A 10.0.2.1/24 veth-host ns1:veth-ns
	iproute add 10.0.2.0/24 dev veth-host scope link
	iproute -n ns1 add 10.0.1.0/24 dev veth-ns scope link
	ip -j route show 10.0.2.0/24 | jq -e '.[0] | .dev == "veth-host" and .scope == "link"'
	ip -n ns1 -j route show 10.0.1.0/24 | jq -e '.[0] | .dev == "veth-ns" and .scope == "link"'
	ping -c1 -W1 10.0.2.1
	ip netns exec ns1 ping -c1 -W1 10.0.1.1
	[ "$(iproute -n ns1 -j | jq -c "$RKEYS")" = "$(ip -n ns1 -j route show | jq -c "$RKEYS")" ]
	[ "$(iplink -n ns1 -j | jq -c "$LKEYS")" = "$(ip -n ns1 -j link show | jq -c "$LKEYS")" ]
}

@test "seed 2: two namespaces, the pair renamed eth0 on both sides, default routes" {
	nsadd n1 n2
	vethadd -a 10.0.0.1/24 -A 10.0.0.2/24 n1:tmp1 n2:tmp2
	iplink -n n1 set tmp1 name eth0
	iplink -n n2 set tmp2 name eth0
	ipaddr -n n1 add 10.8.8.8/32 dev lo
	ipaddr -n n2 add 10.9.9.9/32 dev lo
	iproute -n n1 add default via 10.0.0.2
	iproute -n n2 add default via 10.0.0.1 dev eth0
	[ "$(ip -n n1 -j link show | jq -r '[.[].ifname] | sort | join(" ")')" = "eth0 lo" ]
	[ "$(ip -n n2 -j link show | jq -r '[.[].ifname] | sort | join(" ")')" = "eth0 lo" ]
	[ "$(ip -n n1 -j route show default | jq -r '.[0].gateway')" = 10.0.0.2 ]
	ip netns exec n1 ping -c1 -W1 -I 10.8.8.8 10.9.9.9
	ip netns exec n2 ping -c1 -W1 -I 10.9.9.9 10.8.8.8
	for n in n1 n2; do
		[ "$(ipaddr -n $n -j | jq -c '[.[] | {ifname, addr_info: [.addr_info[] | {family, local, prefixlen, scope}]}]')" = \
		  "$(ip -n $n -j addr show | jq -c '[.[] | {ifname, addr_info: [.addr_info[] | {family, local, prefixlen, scope}]}]')" ]
	done
}

@test "seed 3: earth and neptune on a direct veth, then on a bridge the host reaches" {
	nsadd earth neptune
	vethadd -a 10.10.0.10/16 -A 10.10.0.20/16 earth:earth-veth neptune:neptune-veth
	ip netns exec earth ping -c1 -W1 10.10.0.20
	iplink -n earth del earth-veth
	[ "$(ip -n neptune -j link show | jq length)" = 1 ]

	bradd planet-br 10.10.0.1/16
	vethadd -a 10.10.0.10/16 -m planet-br earth:earth-veth earth-br-veth
	vethadd -a 10.10.0.20/16 -m planet-br neptune:neptune-veth neptune-br-veth
	iproute -n earth add default via 10.10.0.1
	iproute -n neptune add default via 10.10.0.1
	[ "$(ip -j link show earth-br-veth | jq -r '.[0].master')" = planet-br ]
	[ "$(ip -j link show neptune-br-veth | jq -r '.[0].master')" = planet-br ]
	ping -c1 -W1 10.10.0.10
	ping -c1 -W1 10.10.0.20
	ip netns exec earth ping -c1 -W1 10.10.0.20
	ip netns exec neptune ping -c1 -W1 10.10.0.1
	[ "$(iplink -j | jq -c "$LKEYS")" = "$(ip -j link show | jq -c "$LKEYS")" ]
	[ "$(iproute -n earth -j | jq -c "$RKEYS")" = "$(ip -n earth -j route show | jq -c "$RKEYS")" ]
}

@test "seed 3 in one batch: the bridge topology from nsbox -b" {
	cat >"$BATS_TEST_TMPDIR/seed" <<-'EOT'
	nsadd earth neptune
	bradd planet-br 10.10.0.1/16
	vethadd -a 10.10.0.10/16 -m planet-br earth:earth-veth earth-br-veth
	vethadd -a 10.10.0.20/16 -m planet-br neptune:neptune-veth neptune-br-veth
	iproute -n earth add default via 10.10.0.1
	iproute -n neptune add default via 10.10.0.1
	EOT
	run nsbox -b "$BATS_TEST_TMPDIR/seed"
	assert_success
	ping -c1 -W1 10.10.0.10
	ping -c1 -W1 10.10.0.20
	ip netns exec earth ping -c1 -W1 10.10.0.20
}
