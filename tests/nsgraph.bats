#!/usr/bin/env bats
# nsgraph: topologies built with ip; every fact and edge checked with ip -j,
# the DOT rendered by graphviz.

bats_require_minimum_version 1.5.0
load helper

# ipn NS ARGS...: ip inside NS, where "host" is this namespace
ipn() {
	local n=$1
	shift
	if [ "$n" = host ]; then ip "$@"; else ip -n "$n" "$@"; fi
}

# wait_up NS IF...: operstate changes reach ip through the kernel's link
# watch, a moment after the change itself
wait_up() {
	local n=$1 i
	shift
	for i in "$@"; do
		until_ok eval "ipn $n -j link show $i | jq -e '.[0].operstate == \"UP\"' >/dev/null"
	done
}

seed() {
	ip netns add earth
	ip netns add neptune
	ip link add earth-veth type veth peer name earth-br-veth
	ip link add neptune-veth type veth peer name neptune-br-veth
	ip link set earth-veth netns earth
	ip link set neptune-veth netns neptune
	ip -n earth addr add 10.10.0.10/16 dev earth-veth
	ip -n neptune addr add 10.10.0.20/16 dev neptune-veth
	ip link add planet-br type bridge
	ip link set earth-br-veth master planet-br
	ip link set neptune-br-veth master planet-br
	ip link set planet-br up
	ip link set earth-br-veth up
	ip link set neptune-br-veth up
	ip -n earth link set lo up
	ip -n earth link set earth-veth up
	ip -n neptune link set lo up
	ip -n neptune link set neptune-veth up
	ip addr add 10.10.0.1/16 dev planet-br
	ip -n earth route add default via 10.10.0.1
	ip -n neptune route add default via 10.10.0.1
	wait_up host planet-br earth-br-veth neptune-br-veth
	wait_up earth earth-veth
	wait_up neptune neptune-veth
}

# a - b - c: b in the middle with a veth to each side, created from the ends
chain() {
	ip netns add a
	ip netns add b
	ip netns add c
	ip -n a link add ab type veth peer name ba netns b
	ip -n c link add cb type veth peer name bc netns b
	ip -n a addr add 10.1.0.1/24 dev ab
	ip -n b addr add 10.1.0.2/24 dev ba
	ip -n b addr add 10.2.0.2/24 dev bc
	ip -n c addr add 10.2.0.1/24 dev cb
	ip -n a -6 addr add 2001:db8:1::1/64 dev ab nodad
	for l in a:ab b:ba b:bc c:cb; do ip -n "${l%:*}" link set "${l#*:}" up; done
	ip -n a route add default via 10.1.0.2
	ip -n a -6 route add default via 2001:db8:1::2 dev ab
	ip -n c route add default via 10.2.0.2
	wait_up a ab
	wait_up b ba bc
	wait_up c cb
}

# check_end NS IF PNS PIF: ip says IF in NS is a veth whose other end is
# PIF in PNS: same namespace by name, else by ifindex and an nsid that ip
# resolves to PNS (ip can name every namespace but this one)
check_end() {
	local l nsid
	l=$(ipn "$1" -j -d link show "$2")
	jq -e '.[0].linkinfo.info_kind == "veth"' <<<"$l"
	if [ "$1" = "$3" ]; then
		[ "$(jq -r '.[0].link' <<<"$l")" = "$4" ]
		return
	fi
	[ "$(jq -r '.[0].link_index' <<<"$l")" = "$(ipn "$3" -j link show "$4" | jq -r '.[0].ifindex')" ]
	nsid=$(jq -r '.[0].link_netnsid' <<<"$l")
	[ "$nsid" != null ]
	if [ "$3" != host ]; then
		[ "$(ipn "$1" -j netns list-id | jq -r ".[] | select(.nsid == $nsid) | .name")" = "$3" ]
	fi
}

# check_edges N: nsgraph -j has N edges and ip -j agrees with each, at both
# ends of a veth and at the port of a master
check_edges() {
	local j type fns fif tns tif
	j=$(nsgraph -j)
	[ "$(jq '.edges | length' <<<"$j")" = "$1" ]
	while read -r type fns fif tns tif; do
		if [ "$type" = master ]; then
			[ "$fns" = "$tns" ]
			[ "$(ipn "$fns" -j link show "$fif" | jq -r '.[0].master')" = "$tif" ]
		else
			[ "$type" = veth ]
			check_end "$fns" "$fif" "$tns" "$tif"
			check_end "$tns" "$tif" "$fns" "$fif"
		fi
	done < <(jq -r '.edges[] | "\(.type) \(.from.netns) \(.from.ifname) \(.to.netns) \(.to.ifname)"' <<<"$j")
}

LKEYS='[.[] | {ifname, ifindex, operstate, master, link_netnsid}] | sort_by(.ifname)'
AKEYS='[.[] | {ifname, addr_info: [.addr_info[] | select(.family == "inet") | {local, prefixlen, scope}]}] | sort_by(.ifname)'
RKEYS='[.[] | {dst, gateway, dev}]'

# check_facts NS...: links, IPv4 addresses and default routes as ip -j has them
check_facts() {
	local j n
	j=$(nsgraph -j)
	for n in "$@"; do
		ns=".namespaces[] | select(.name == \"$n\")"
		[ "$(jq -c "$ns | .links | $LKEYS" <<<"$j")" = "$(ipn "$n" -j link show | jq -c "$LKEYS")" ]
		[ "$(jq -c "$ns | .links | $AKEYS" <<<"$j")" = "$(ipn "$n" -j addr show | jq -c "$AKEYS")" ]
		[ "$(jq -c "[$ns | .routes[] | {dst, gateway, dev}]" <<<"$j")" = \
		  "$(jq -sc 'add' <(ipn "$n" -j route show default) <(ipn "$n" -j -6 route show default) | jq -c "$RKEYS")" ]
	done
}

# the state nsgraph owes each link, from ip -j link's flags
STATE='[.[] | {ifname, state: (if (.flags | index("UP")) then
	(if (.flags | index("LOWER_UP")) then "UP" else "no carrier" end) else "down" end)}] | sort_by(.ifname)'

@test "nsgraph: UP, no carrier and down follow the flags at once, not operstate" {
	ip netns add a
	ip link add v0 type veth peer name v1
	ip link add x0 type veth peer name x1 netns a
	ip link set x0 up
	ip link add u0 type veth peer name u1
	ip link set u0 up
	ip link set u1 up
	# no waiting: carrier is there when ip link set returns, operstate later
	j=$(nsgraph -j)
	[ "$(jq -c '.namespaces[0].links | [.[] | {ifname, state}] | sort_by(.ifname)' <<<"$j")" = \
	  "$(ip -j link show | jq -c "$STATE")" ]
	[ "$(jq -c '.namespaces[1].links | [.[] | {ifname, state}] | sort_by(.ifname)' <<<"$j")" = \
	  "$(ip -n a -j link show | jq -c "$STATE")" ]
	[ "$(jq -r '[.namespaces[].links[] | "\(.ifname)=\(.state)"] | join(" ")' <<<"$j")" = \
	  "lo=UP u0=UP u1=UP v0=down v1=down x0=no carrier lo=down x1=down" ]
	run -0 nsgraph
	assert_line '  u0                 veth     UP         <-> host:u1'
	assert_line '  v0                 veth     down       <-> host:v1'
	assert_line '  x0                 veth     no carrier <-> a:x1'
	assert_line '  x1                 veth     down       <-> host:x0'
	nsgraph --dot | grep -qF '"./x0" [label="x0\nveth no carrier"];'
	nsgraph --dot | grep -qF '"./u1" [label="u1\nveth UP"];'
	# the peer goes down: no carrier, as ip's flags say
	ip link set u1 down
	[ "$(nsgraph -j | jq -r '.namespaces[0].links[] | select(.ifname == "u0") | .state')" = "no carrier" ]
	ip -j link show u0 | jq -e '.[0].flags | index("LOWER_UP") | not'
}

@test "nsgraph: seed topology, the text names both ends of every veth" {
	seed
	run nsgraph
	assert_success
	assert_output - <<'EOF'
[host]
  planet-br          bridge   UP         10.10.0.1/16
  |- earth-br-veth   veth     UP         <-> earth:earth-veth
  `- neptune-br-veth veth     UP         <-> neptune:neptune-veth

[earth]
  earth-veth         veth     UP         10.10.0.10/16
                                         <-> host:earth-br-veth on planet-br
  default via 10.10.0.1 dev earth-veth

[neptune]
  neptune-veth       veth     UP         10.10.0.20/16
                                         <-> host:neptune-br-veth on planet-br
  default via 10.10.0.1 dev neptune-veth
EOF
}

@test "nsgraph: seed topology, -j edges and facts agree with ip -j" {
	seed
	check_edges 4
	check_facts host earth neptune
	j=$(nsgraph -j)
	[ "$(jq -r '[.namespaces[] | .name] | join(" ")' <<<"$j")" = "host earth neptune" ]
	[ "$(jq -r '[.namespaces[] | .current] | join(" ")' <<<"$j")" = "true false false" ]
	[ "$(jq -r '.namespaces[0].links[] | select(.ifname == "planet-br") | .kind' <<<"$j")" = bridge ]
	jq -e '.namespaces[1].links[] | select(.ifname == "earth-veth") | .peer ==
		{"netns": "host", "ifname": "earth-br-veth", "ifindex": '"$(ip -j link show earth-br-veth | jq '.[0].ifindex')"'}' <<<"$j"
}

@test "nsgraph: seed topology, the DOT renders with a cluster a namespace" {
	seed
	nsgraph --dot > "$BATS_TEST_TMPDIR/g.dot"
	dot -Tsvg "$BATS_TEST_TMPDIR/g.dot" > "$BATS_TEST_TMPDIR/g.svg"
	[ "$(grep -c 'class="cluster"' "$BATS_TEST_TMPDIR/g.svg")" = 3 ]
	[ "$(grep -c 'class="edge"' "$BATS_TEST_TMPDIR/g.svg")" = 4 ]
	[ "$(grep -c 'class="node"' "$BATS_TEST_TMPDIR/g.svg")" = 5 ]
	grep -q '^	"./earth-br-veth" -- "earth/earth-veth" \[penwidth=2\];$' "$BATS_TEST_TMPDIR/g.dot"
	grep -q '^	"./planet-br" -- "./earth-br-veth" \[dir=back, style=dashed\];$' "$BATS_TEST_TMPDIR/g.dot"
}

@test "nsgraph: three-namespace chain, -j edges and facts agree with ip -j" {
	chain
	check_edges 2
	check_facts host a b c
	jq -e '.namespaces[] | select(.name == "a") | .routes ==
		[{"dst": "default", "gateway": "10.1.0.2", "dev": "ab"},
		 {"dst": "default", "gateway": "2001:db8:1::2", "dev": "ab", "metric": 1024}]' < <(nsgraph -j)
}

@test "nsgraph: three-namespace chain, text and DOT" {
	chain
	run nsgraph
	assert_success
	assert_line '[b]'
	assert_line '  ba                 veth     UP         10.1.0.2/24 <-> a:ab'
	assert_line '  bc                 veth     UP         10.2.0.2/24 <-> c:cb'
	assert_line '  ab                 veth     UP         10.1.0.1/24 2001:db8:1::1/64 <-> b:ba'
	assert_line '  cb                 veth     UP         10.2.0.1/24 <-> b:bc'
	assert_line '  default via 2001:db8:1::2 dev ab metric 1024'
	# an idle lo stands in for an otherwise empty namespace
	assert_line '  lo                 loopback UP'
	[ "$(awk 'length > 80' <<<"$output")" = "" ]
	nsgraph --dot | dot -Tsvg > "$BATS_TEST_TMPDIR/g.svg"
	[ "$(grep -c 'class="cluster"' "$BATS_TEST_TMPDIR/g.svg")" = 4 ]
	[ "$(grep -c 'class="edge"' "$BATS_TEST_TMPDIR/g.svg")" = 2 ]
}

@test "nsgraph: a veth within one namespace is one edge; names DOT must quote" {
	ip netns add 'dot"ns.1'
	ip link add 'v.0-a' type veth peer name 'v\1'
	ip link add 'q"0' type veth peer name x0 netns 'dot"ns.1'
	check_edges 2
	run -0 nsgraph
	assert_line --partial 'v.0-a              veth     down       <-> host:v\1'
	assert_line --partial 'x0                 veth     down       <-> host:q"0'
	nsgraph --dot | dot -Tsvg > "$BATS_TEST_TMPDIR/g.svg"
	[ "$(grep -c 'class="cluster"' "$BATS_TEST_TMPDIR/g.svg")" = 2 ]
	[ "$(grep -c 'class="edge"' "$BATS_TEST_TMPDIR/g.svg")" = 2 ]
	grep -q '<title>cluster_dot&quot;ns.1</title>' "$BATS_TEST_TMPDIR/g.svg"
}

@test "nsgraph: a peer in a namespace without a name is shown by number, with no edge" {
	unshare -n sleep 60 &
	pid=$!
	# the readlinks are redone on every try (as words they would be read once)
	other_ns() { [ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/self/ns/net)" ]; }
	until_ok other_ns
	ip link add v0 type veth peer name v1 netns "$pid"
	nsid=$(ip -j link show v0 | jq -r '.[0].link_netnsid')
	run -0 nsgraph
	assert_line "  v0                 veth     down       <-> if$(ip -j link show v0 | jq -r '.[0].link_index') in nsid $nsid"
	check_edges 0
	kill "$pid"
}

@test "nsgraph: a second name for a namespace already shown is not shown twice" {
	ip netns add a
	touch /run/netns/self
	mount --bind /proc/self/ns/net /run/netns/self
	[ "$(nsgraph -j | jq -r '[.namespaces[].name] | join(" ")')" = "host a" ]
}

@test "nsgraph: batch mode runs it again and again in one process" {
	seed
	printf 'nsgraph\nnsgraph -j\nnsgraph --dot\nnsgraph\n' | nsbox -b - > "$BATS_TEST_TMPDIR/out"
	[ "$(grep -c '^\[earth\]$' "$BATS_TEST_TMPDIR/out")" = 2 ]
	[ "$(grep -c '^graph nsgraph {$' "$BATS_TEST_TMPDIR/out")" = 1 ]
}

@test "nsgraph: usage errors exit 2" {
	fails 2 "nsgraph: -x: unknown option" nsgraph -x
	fails 2 "nsgraph: foo: unexpected argument" nsgraph foo
	fails 2 "nsgraph: --dot: -j and --dot exclude each other" nsgraph -j --dot
	run nsgraph --help
	assert_success
	assert_line --index 0 'nsgraph [-j | --dot] [-s]'
}

@test "nsgraph: a NAT line per namespace agrees with nft -j" {
	ip netns add a
	natmasq 10.10.0.0/16 -o '!br0'
	natdnat -p tcp 8000 10.10.0.10:8000
	natdnat -p udp 5353 10.10.0.11
	natmasq -n a 10.1.0.0/16
	run nsgraph -j
	assert_success
	host=$(jq -c '.namespaces[] | select(.current) | .nat' <<<"$output")
	# masquerade rules: postrouting rules; forwards: distinct prerouting rules
	m=$(nft -j list ruleset | jq '[.nftables[] | select(.rule.table == "nsbox" and .rule.chain == "postrouting")] | length')
	f=$(nft -j list ruleset | jq '[.nftables[] | select(.rule.table == "nsbox" and .rule.chain == "prerouting")] | length')
	[ "$host" = "{\"masquerade\":$m,\"forwards\":$f}" ]
	[ "$host" = '{"masquerade":1,"forwards":2}' ]
	[ "$(jq -c '.namespaces[] | select(.name == "a") | .nat' <<<"$output")" = '{"masquerade":1,"forwards":0}' ]
	run -0 nsgraph
	assert_line "  nat: 1 masquerade, 2 port forwards"
	run -0 nsgraph --dot
	assert_output --partial 'nat: 1 masquerade, 2 port forwards'
}
