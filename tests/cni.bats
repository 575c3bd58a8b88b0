#!/usr/bin/env bats
# nsbox as the CNI bridge, host-local, portmap and loopback plugins, driven
# by a runtime on Debian's libcni (build/cni-runtime) and by the protocol
# directly, checked with ip -j, nft -j, traffic, and against the reference
# plugins of containernetworking-plugins (/usr/lib/cni).

load helper

setup_world() {
	cni_world
	conflist "$BATS_TEST_TMPDIR/net.conflist" 10.88.0.0/16 "$DATA"
}

# conflist FILE SUBNET DATADIR [SUBNET6 [HAIRPIN]]: the conflist every
# reference-plugin user has; with SUBNET6, dual stack
conflist() {
	local r='[{"subnet":"'$2'"}]' rt='{"dst":"0.0.0.0/0"}'
	[ -z "${4:-}" ] || { r=$r',[{"subnet":"'$4'"}]'; rt=$rt',{"dst":"::/0"}'; }
	cat > "$1" <<EOF
{"cniVersion":"1.0.0","name":"testnet","plugins":[
 {"type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,"hairpinMode":${5:-true},
  "ipam":{"type":"host-local","dataDir":"$3","ranges":[$r],
          "routes":[$rt]}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
EOF
}

rt() {	# rt PLUGINDIR CMD ID NETNS IFNAME [PORTMAPS]
	local dir=$1
	shift
	CNI_PATH="$dir" "$RUNTIME" "$1" "$BATS_TEST_TMPDIR/net.conflist" "${@:2}"
}

# plugin NAME CMD [ID NETNS IFNAME] < config: the protocol by hand
plugin() {
	CNI_COMMAND=$2 CNI_CONTAINERID=${3:-c1id} CNI_NETNS=${4:-/run/netns/c1} \
		CNI_IFNAME=${5:-eth0} CNI_PATH="$PLUG" "$PLUG/$1"
}

@test "without CNI_COMMAND: the about line; VERSION lists the versions" {
	run --separate-stderr "$PLUG/bridge"
	[ "$status" -eq 0 ]
	[ "${stderr%%$'\n'*}" = "CNI bridge plugin nsbox 0.1.0" ]
	run -0 env CNI_COMMAND=VERSION "$PLUG/host-local" < /dev/null
	[ "$(jq -c .supportedVersions <<<"$output")" = '["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]' ]
}

@test "libcni ADD: addresses, routes, bridge port, masquerade rule" {
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	res=$output
	[ "$(jq -r '.ips[0].address' <<<"$res")" = 10.88.0.2/16 ]
	[ "$(jq -r '.ips[0].gateway' <<<"$res")" = 10.88.0.1 ]
	[ "$(jq -r '.interfaces[2].sandbox' <<<"$res")" = /run/netns/c1 ]
	ip -n c1 -j addr show eth0 | jq -e '.[0].addr_info[] | select(.local == "10.88.0.2" and .prefixlen == 16)'
	ip -n c1 -j route | jq -e '.[] | select(.dst == "default" and .gateway == "10.88.0.1" and .dev == "eth0")'
	ip -j addr show cni0 | jq -e '.[0].addr_info[] | select(.local == "10.88.0.1" and .prefixlen == 16)'
	host=$(jq -r '.interfaces[1].name' <<<"$res")
	[ "$(ip -j link show "$host" | jq -r '.[0].master')" = cni0 ]
	nft -j list ruleset | jq -e '.nftables[] | select(.rule.comment == "bridge testnet c1id eth0 masq 10.88.0.2")'
	[ "$(cat "$DATA/testnet/10.88.0.2" | od -An -c | tr -s ' ')" = " c 1 i d \r \n e t h 0" ]
	run -0 rt "$PLUG" check c1id /run/netns/c1 eth0
}

@test "libcni DEL leaves nothing; a second DEL succeeds" {
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0 '[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]'
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0
	nothing jqr '.[] | select(.ifname | startswith("veth")) | .ifname' ip -j link
	nothing jqr '.[] | select(.ifname == "eth0") | .ifname' ip -n c1 -j link
	nothing store_ips "$DATA/testnet"
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 0 ]
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0
}

@test "traffic: across the bridge, out through the masquerade, port mapping, hairpin" {
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0 '[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]'
	run -0 rt "$PLUG" add c2id /run/netns/c2 eth0
	ip netns exec c1 ping -c1 -W2 10.88.0.3
	# "outside": a namespace with no route back to 10.88.0.0/16
	ip netns add out
	ip link add up0 type veth peer name up1 netns out
	ip addr add 192.0.2.1/24 dev up0 && ip link set up0 up
	ip -n out addr add 192.0.2.2/24 dev up1 && ip -n out link set up1 up
	ip -n out link set lo up
	ip netns exec c2 ping -c1 -W2 192.0.2.2
	ip netns exec c1 socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo hello-from-c1' &
	until_ok sh -c "ip netns exec c1 ss -Htln 'sport = :80' | grep -q LISTEN"
	[ "$(ip netns exec out socat -T2 - TCP:192.0.2.1:18080 </dev/null)" = hello-from-c1 ]
	# from the host itself, and the container to its own host port
	[ "$(socat -T2 - TCP:192.0.2.1:18080 </dev/null)" = hello-from-c1 ]
	[ "$(ip netns exec c1 socat -T2 - TCP:10.88.0.1:18080 </dev/null)" = hello-from-c1 ]
	[ "$(ip netns exec c2 socat -T2 - TCP:10.88.0.1:18080 </dev/null)" = hello-from-c1 ]
	kill %1
}

# the kernel state that must match the reference plugins'
state() {
	ip -n c1 -j addr show eth0 | jq -c '[.[0].addr_info[] | select(.scope != "link") | {family, local, prefixlen, broadcast, scope}]'
	ip -n c1 -j link show eth0 | jq -c '.[0] | {flags, mtu, operstate, link_type}'
	ip -n c1 -j route | jq -c '[.[] | {dst, gateway, dev, protocol, scope, prefsrc}]'
	ip -n c1 -j -6 route | jq -c '[.[] | {dst, gateway, dev, protocol, metric, pref}]'
	ip -j addr show cni0 | jq -c '[.[0].addr_info[] | select(.scope != "link") | {family, local, prefixlen, broadcast}]'
	ip -j link show master cni0 | jq -c '[.[] | {mtu, operstate, master}]'
	ip -j link show cni0 | jq -c '.[0] | {flags, mtu, operstate}'
	cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding
	ip netns exec c1 cat /proc/sys/net/ipv6/conf/eth0/accept_dad
}

# settled NETNS...: no IPv6 address tentative (DAD done) here and in each
# NETNS, as read by an ip that worked
settled() {
	until_ok sh -c 'a=$(ip -6 addr) || exit 1
		for n; do a="$a$(ip -n "$n" -6 addr)" || exit 1; done
		! printf %s "$a" | grep -q tentative' sh "$@"
}

@test "same conflist, same kernel state as the reference plugins" {
	run -0 rt $REF add c1id /run/netns/c1 eth0
	until_ok sh -c 'ip -j link show cni0 | grep -q "\"operstate\":\"UP\""'
	ref=$(state)
	run -0 rt $REF del c1id /run/netns/c1 eth0
	ip link del cni0
	rm -rf "$DATA"
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	until_ok sh -c 'ip -j link show cni0 | grep -q "\"operstate\":\"UP\""'
	ours=$(state)
	diff <(echo "$ref") <(echo "$ours")
}

@test "dual stack, same conflist: same kernel state as the reference plugins" {
	conflist "$BATS_TEST_TMPDIR/net.conflist" 10.88.0.0/16 "$DATA" fd00:88::/64
	local st=()
	for ours in 0 1; do
		echo 0 > /proc/sys/net/ipv4/ip_forward
		echo 0 > /proc/sys/net/ipv6/conf/all/forwarding
		dir=$REF
		[ $ours = 0 ] || dir=$PLUG
		run -0 rt $dir add c1id /run/netns/c1 eth0
		until_ok sh -c 'ip -j link show cni0 | grep -q "\"operstate\":\"UP\""'
		settled c1
		st[$ours]=$(state)
		run -0 rt $dir del c1id /run/netns/c1 eth0
		ip link del cni0
		rm -rf "$DATA"
	done
	grep -q fd00:88::2 <<<"${st[1]}"
	diff <(echo "${st[0]}") <(echo "${st[1]}")
}

@test "dual stack without hairpin: ADD returns with the container's IPv6 address usable (past DAD), as the reference" {
	conflist "$BATS_TEST_TMPDIR/net.conflist" 10.88.0.0/16 "$DATA" fd00:88::/64 false
	for dir in $REF $PLUG; do
		run -0 rt $dir add c1id /run/netns/c1 eth0
		ip -n c1 -6 addr show dev eth0 scope global >"$BATS_TEST_TMPDIR/a"
		grep -q 'inet6 fd00:88::' "$BATS_TEST_TMPDIR/a"
		[ "$(grep -c tentative "$BATS_TEST_TMPDIR/a")" = 0 ]
		# Debian's reference (1.1.1) turns DAD off whatever hairpinMode
		# says; later ones, as nsbox, only with it, and wait for DAD
		[ $dir = $REF ] || [ "$(ip netns exec c1 cat /proc/sys/net/ipv6/conf/eth0/accept_dad)" = 1 ]
		run -0 rt $dir del c1id /run/netns/c1 eth0
		ip link del cni0
		rm -rf "$DATA"
	done
}

@test "dual stack: IPv6 masquerade and port mappings, in table ip6 nsbox; DEL drops both tables" {
	conflist "$BATS_TEST_TMPDIR/net.conflist" 10.88.0.0/16 "$DATA" fd00:88::/64
	pm='[{"hostPort":18080,"containerPort":80,"protocol":"tcp"},{"hostPort":18081,"containerPort":81,"protocol":"tcp","hostIP":"2001:db8::1"},{"hostPort":18082,"containerPort":82,"protocol":"udp","hostIP":"192.0.2.1"}]'
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0 "$pm"
	[ "$(jq -c '[.ips[].address]' <<<"$output")" = '["10.88.0.2/16","fd00:88::2/64"]' ]
	ip -n c1 -j -6 route | jq -e '.[] | select(.dst == "default" and .gateway == "fd00:88::1" and .dev == "eth0")'
	[ "$(cat /proc/sys/net/ipv6/conf/all/forwarding)" = 1 ]
	# the rules by table, chain and comment; a hostIP only in its family
	rules=$(nft -j list ruleset | jq -c '[.nftables[] | select(.rule) | .rule | [.family, .chain, (.comment | sub("^[a-z]+ testnet c1id eth0 "; ""))]] | sort')
	[ "$rules" = '[["ip","guard","nsbox localnet guard"],["ip","output","tcp :18080"],["ip","output","udp 192.0.2.1:18082"],["ip","postrouting","hairpin"],["ip","postrouting","localnet cni0"],["ip","postrouting","masq 10.88.0.2"],["ip","prerouting","tcp :18080"],["ip","prerouting","udp 192.0.2.1:18082"],["ip6","output","tcp 2001:db8::1:18081"],["ip6","output","tcp :18080"],["ip6","postrouting","hairpin"],["ip6","postrouting","masq fd00:88::2"],["ip6","prerouting","tcp 2001:db8::1:18081"],["ip6","prerouting","tcp :18080"]]' ] || { echo "$rules"; false; }
	nft -j list ruleset | jq -e '.nftables[] | select(.rule.family == "ip6" and (.rule.comment | tostring | endswith("masq fd00:88::2"))) | .rule.expr[] | select(.match.right | type == "object" and .prefix.addr == "ff00::" and .prefix.len == 8)'
	nft -j list ruleset | jq -e '.nftables[] | select(.rule.family == "ip6" and .rule.chain == "prerouting" and (.rule.comment | tostring | endswith("tcp :18080"))) | .rule.expr[] | select(.dnat.addr == "fd00:88::2" and .dnat.port == 80)'
	run -0 rt "$PLUG" check c1id /run/netns/c1 eth0 "$pm"
	# "internet": a namespace with no route back to fd00:88::/64
	ip netns add out
	ip link add up0 type veth peer name up1 netns out
	ip addr add 2001:db8::1/64 dev up0 && ip link set up0 up
	ip -n out addr add 2001:db8::2/64 dev up1 && ip -n out link set up1 up
	ip -n out link set lo up
	settled c1 out
	ip netns exec c1 ping -6 -c1 -W2 2001:db8::2
	ip netns exec c1 socat TCP6-LISTEN:80,fork,reuseaddr SYSTEM:'echo hello-from-c1' &
	until_ok sh -c "ip netns exec c1 ss -Htln 'sport = :80' | grep -q LISTEN"
	[ "$(ip netns exec out socat -T2 - TCP6:[2001:db8::1]:18080 </dev/null)" = hello-from-c1 ]
	# from the host itself, and the container to its own host port
	[ "$(socat -T2 - TCP6:[2001:db8::1]:18080 </dev/null)" = hello-from-c1 ]
	[ "$(ip netns exec c1 socat -T2 - TCP6:[fd00:88::1]:18080 </dev/null)" = hello-from-c1 ]
	kill %1
	nft -j list ruleset | jq -e '.nftables[] | select(.rule.family == "ip6" and (.rule.comment | tostring | endswith("masq fd00:88::2"))) | .rule.expr[] | select(.counter.packets > 0)'
	# CHECK misses an IPv6 mapping removed behind its back
	h=$(nft -j list ruleset | jq '.nftables[] | select(.rule.family == "ip6" and .rule.chain == "output" and (.rule.comment | tostring | endswith("tcp :18080"))) | .rule.handle')
	nft delete rule ip6 nsbox output handle "$h"
	run -1 rt "$PLUG" check c1id /run/netns/c1 eth0 "$pm"
	# GC of the bridge (no valid attachment): its masquerade goes from both
	# tables, portmap's rules stay; then DEL takes the rest
	gc='{"cniVersion":"1.1.0","name":"testnet","type":"bridge","ipMasq":true,"cni.dev/valid-attachments":[]}'
	run -0 env CNI_COMMAND=GC CNI_PATH="$PLUG" "$PLUG/bridge" <<<"$gc"
	[ "$(nft -j list ruleset | jq -c '[.nftables[] | select(.rule.comment | tostring | startswith("portmap"))] | length')" -eq 10 ]
	nft -j list ruleset | jq -e '[.nftables[] | select(.rule.comment | tostring | test("masq"))] | length == 0'
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 0 ]
	nothing jqr '.nftables[] | select(.table.name == "nsbox") | .table.family' nft -j list tables
	nothing store_ips "$DATA/testnet"
}

# checkcfg RESULT: the conflist's bridge as a runtime gives it to CHECK,
# with RESULT as prevResult
checkcfg() {
	jq -c --argjson r "$1" '{cniVersion, name} + .plugins[0] + {prevResult: $r}' \
		"$BATS_TEST_TMPDIR/net.conflist"
}

# masqdel ID ADDR: delete by hand, by its handle, the masquerade rule of
# attachment ID eth0 for ADDR
masqdel() {
	local fam=ip h
	[[ $2 != *:* ]] || fam=ip6
	h=$(nft -j -a list ruleset | jq -e ".nftables[] | select(.rule.family == \"$fam\" and .rule.comment == \"bridge testnet $1 eth0 masq $2\") | .rule.handle")
	nft delete rule $fam nsbox postrouting handle "$h"
}

# checkfails CFG MSG [DETAILS]: bridge CHECK of c1id eth0 is the spec's
# error 999 with MSG (and DETAILS), exit status 1
checkfails() {
	run -1 plugin bridge CHECK <<<"$1"
	[ "$(jq -c '[.code, .msg, .details]' <<<"$output")" = "$(jq -nc --arg m "$2" --arg d "${3:-}" '[999, $m, (if $d == "" then null else $d end)]')" ] ||
		{ echo "$output"; false; }
}

@test "CHECK with ipMasq: passes after ADD; the masquerade rule deleted by hand is error 999 naming it; ipMasq false looks at no rule" {
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	cfg=$(checkcfg "$output")
	run -0 plugin bridge CHECK <<<"$cfg"
	[ -z "$output" ]
	run -0 rt "$PLUG" check c1id /run/netns/c1 eth0
	masqdel c1id 10.88.0.2
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 0 ]
	checkfails "$cfg" "nf_tables rule missing" "bridge testnet c1id eth0 masq 10.88.0.2"
	run -1 rt "$PLUG" check c1id /run/netns/c1 eth0
	[[ $output == *"nf_tables rule missing; bridge testnet c1id eth0 masq 10.88.0.2"* ]]
	# ipMasq false: the same attachment, no rule looked for
	run -0 plugin bridge CHECK <<<"$(jq -c '.ipMasq = false' <<<"$cfg")"
	# and an ADD without ipMasq makes none, and its CHECK passes
	sed -i 's/"ipMasq":true/"ipMasq":false/' "$BATS_TEST_TMPDIR/net.conflist"
	run -0 rt "$PLUG" add c2id /run/netns/c2 eth0
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 0 ]
	run -0 rt "$PLUG" check c2id /run/netns/c2 eth0
}

@test "dual stack CHECK: either family's masquerade rule deleted by hand is error 999 naming it" {
	conflist "$BATS_TEST_TMPDIR/net.conflist" 10.88.0.0/16 "$DATA" fd00:88::/64
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	cfg=$(checkcfg "$output")
	run -0 rt "$PLUG" add c2id /run/netns/c2 eth0
	cfg2=$(checkcfg "$output")
	run -0 plugin bridge CHECK <<<"$cfg"
	run -0 plugin bridge CHECK c2id /run/netns/c2 <<<"$cfg2"
	# the IPv6 rule of c1; the IPv4 one of c2, its IPv6 one still there
	masqdel c1id fd00:88::2
	masqdel c2id 10.88.0.3
	nft -j list ruleset | jq -e '.nftables[] | select(.rule.family == "ip6" and .rule.comment == "bridge testnet c2id eth0 masq fd00:88::3")'
	checkfails "$cfg" "nf_tables rule missing" "bridge testnet c1id eth0 masq fd00:88::2"
	run -1 rt "$PLUG" check c1id /run/netns/c1 eth0
	[[ $output == *"bridge testnet c1id eth0 masq fd00:88::2"* ]]
	run -1 plugin bridge CHECK c2id /run/netns/c2 <<<"$cfg2"
	[ "$(jq -c '[.code, .details]' <<<"$output")" = '[999,"bridge testnet c2id eth0 masq 10.88.0.3"]' ]
	run -1 rt "$PLUG" check c2id /run/netns/c2 eth0
}

@test "CHECK fails as the reference's when a route, an address, a MAC address or the host end's port is not prevResult's" {
	conflist "$BATS_TEST_TMPDIR/net.conflist" 10.88.0.0/16 "$DATA" fd00:88::/64
	# the bridge alone (the reference's CHECK reads nsbox's attachment), and
	# a route with a gateway of its own
	jq '.plugins |= .[:1] | .plugins[0].ipam.routes += [{"dst":"192.0.2.0/24","gw":"10.88.0.254"}]' \
		"$BATS_TEST_TMPDIR/net.conflist" > "$BATS_TEST_TMPDIR/b"
	mv "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/net.conflist"
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	cfg=$(checkcfg "$output")
	host=$(jq -r '.interfaces[1].name' <<<"$output")
	mac=$(jq -r '.interfaces[2].mac' <<<"$output")
	hmac=$(jq -r '.interfaces[1].mac' <<<"$output")
	refs=$REF
	# both: CHECK passes, or fails (nsbox: error 999, who and why)
	check_ok() {
		run -0 plugin bridge CHECK <<<"$cfg"
		for d in $refs; do run -0 rt $d check c1id /run/netns/c1 eth0; done
	}
	check_bad() {
		checkfails "$cfg" "$1"
		for d in $refs; do run -1 rt $d check c1id /run/netns/c1 eth0; done
	}
	check_ok
	ip -n c1 route del default
	check_bad "eth0: route missing"
	ip -n c1 route add default via 10.88.0.1 dev eth0
	check_ok
	ip -n c1 -6 route del default
	check_bad "eth0: route missing"
	ip -n c1 -6 route add default via fd00:88::1 dev eth0
	check_ok
	ip -n c1 route replace 192.0.2.0/24 via 10.88.0.1 dev eth0
	check_bad "eth0: route missing"
	ip -n c1 route replace 192.0.2.0/24 via 10.88.0.254 dev eth0
	check_ok
	ip -n c1 link set eth0 address 02:00:00:00:00:05
	check_bad "eth0: MAC address changed"
	ip -n c1 link set eth0 address "$mac"
	check_ok
	ip link set "$host" nomaster
	check_bad "$host: not on the bridge"
	ip link set "$host" master cni0
	check_ok
	ip link set "$host" address 02:00:00:00:00:07
	check_bad "$host: MAC address changed"
	ip link set "$host" address "$hmac"
	check_ok
	ip -n c1 addr del fd00:88::2/64 dev eth0
	check_bad "eth0: address missing"
}

@test "CHECK: another port changing the bridge's MAC address (its lowest port's) fails no attachment" {
	# a bridge nsbox did not make keeps taking its lowest port's address
	ip link add cni0 type bridge
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	cfg=$(checkcfg "$output")
	run -0 rt "$PLUG" add c2id /run/netns/c2 eth0
	host2=$(jq -r '.interfaces[1].name' <<<"$output")
	ip link set "$host2" address 02:00:00:00:00:01
	[ "$(ip -j link show cni0 | jq -r '.[0].address')" = 02:00:00:00:00:01 ]
	[ "$(jq -r '.prevResult.interfaces[0].mac' <<<"$cfg")" != 02:00:00:00:00:01 ]
	run -0 plugin bridge CHECK <<<"$cfg"
	run -0 rt "$PLUG" check c1id /run/netns/c1 eth0
}

@test "host-local: the reference's store, shared both ways, in its order" {
	cfg='{"cniVersion":"1.0.0","name":"hl","type":"host-local","ipam":{"type":"host-local","dataDir":"'$DATA'","ranges":[[{"subnet":"10.30.0.0/29"}],[{"subnet":"fd00:30::/125"}]]}}'
	CNI_COMMAND=ADD CNI_CONTAINERID=a CNI_NETNS=/run/netns/c1 CNI_IFNAME=eth0 CNI_PATH=$REF $REF/host-local <<<"$cfg"
	run -0 plugin host-local ADD b <<<"$cfg"
	[ "$(jq -c '[.ips[].address]' <<<"$output")" = '["10.30.0.3/29","fd00:30::3/125"]' ]
	run -0 env CNI_COMMAND=ADD CNI_CONTAINERID=c CNI_NETNS=/run/netns/c1 CNI_IFNAME=eth0 CNI_PATH=$REF $REF/host-local <<<"$cfg"
	[ "$(jq -c '[.ips[].address]' <<<"$output")" = '["10.30.0.4/29","fd00:30::4/125"]' ]
	run -0 plugin host-local DEL a <<<"$cfg"
	[ ! -e "$DATA/hl/10.30.0.2" ]
	[ ! -e "$DATA/hl/fd00:30::2" ]
	# on from the last reserved, round to the start, the gateway skipped
	for id in d e f; do plugin host-local ADD $id <<<"$cfg" > /dev/null; done
	[ "$(cat "$DATA/hl/10.30.0.2")" = $'f\r\neth0' ]
	run -1 plugin host-local ADD g <<<"$cfg"
	[ "$(jq .code <<<"$output")" = 999 ]
	[ ! -e "$DATA/hl/fd00:30::7" ] || [ "$(cat "$DATA/hl/fd00:30::7")" != $'g\r\neth0' ]
	run -1 plugin host-local ADD b <<<"$cfg"
	run -0 env CNI_COMMAND=DEL CNI_CONTAINERID=b CNI_NETNS=/run/netns/c1 CNI_IFNAME=eth0 CNI_PATH=$REF $REF/host-local <<<"$cfg"
	[ ! -e "$DATA/hl/10.30.0.3" ]
}

@test "a failed ADD leaves nothing of its own: no veth, no address file, no rule (the bridge stays, as the reference's)" {
	conflist "$BATS_TEST_TMPDIR/net.conflist" 10.88.0.0/30 "$DATA"
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	ip link del cni0
	before=$(ip -j link | jq -c '[.[].ifname] + ["cni0"]')
	run -1 rt "$PLUG" add c2id /run/netns/c2 eth0
	[ "$(ip -j link | jq -c '[.[].ifname]')" = "$before" ]
	nothing jqr '.[] | select(.ifname == "eth0") | .ifname' ip -n c2 -j link
	[ "$(ls "$DATA/testnet" | grep -c '^10\.')" -eq 1 ]
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule.comment | tostring | test("c2id"))] | length')" -eq 0 ]
	# an IPAM plugin that is not there
	sed -i 's/"host-local"/"no-such-ipam"/' "$BATS_TEST_TMPDIR/net.conflist"
	run -1 rt "$PLUG" add c2id /run/netns/c2 eth0
	[ "$(ip -j link | jq -c '[.[].ifname]')" = "$before" ]
}

@test "DEL after the namespace is gone releases the address and the rules" {
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	# (the store is where the checks below look: its absence proves nothing)
	[ -e "$DATA/testnet/10.88.0.2" ]
	ip netns del c1
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0
	[ ! -e "$DATA/testnet/10.88.0.2" ]
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 0 ]
}

@test "errors: the spec's object, code and exit status" {
	run -1 plugin bridge ADD <<<'{"cniVersion":"1.0.0","name":'
	[ "$(jq .code <<<"$output")" = 6 ]
	run -1 plugin bridge ADD <<<'{"cniVersion":"9.9.9","name":"n","type":"bridge"}'
	[ "$(jq .code <<<"$output")" = 1 ]
	run -1 env CNI_COMMAND=ADD "$PLUG/bridge" <<<'{"cniVersion":"1.0.0","name":"n"}'
	[ "$(jq -r .msg <<<"$output")" = "required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH] missing" ]
	[ "$(jq .code <<<"$output")" = 4 ]
	run -1 plugin bridge ADD <<<'{"cniVersion":"1.0.0","name":"n","type":"bridge","mtu":"x","ipam":{"type":"host-local"}}'
	[ "$(jq .code <<<"$output")" = 7 ]
	run -1 plugin bridge FROB <<<'{}'
	[ "$(jq .code <<<"$output")" = 4 ]
}

@test "GC (1.1.0) drops what valid-attachments does not list; STATUS succeeds" {
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	run -0 rt "$PLUG" add c2id /run/netns/c2 eth0
	gc='{"cniVersion":"1.1.0","name":"testnet","type":"bridge","ipMasq":true,
	     "ipam":{"type":"host-local","dataDir":"'$DATA'","ranges":[[{"subnet":"10.88.0.0/16"}]]},
	     "cni.dev/valid-attachments":[{"containerID":"c1id","ifname":"eth0"}]}'
	run -0 env CNI_COMMAND=GC CNI_PATH="$PLUG" "$PLUG/bridge" <<<"$gc"
	[ -e "$DATA/testnet/10.88.0.2" ]
	[ ! -e "$DATA/testnet/10.88.0.3" ]
	[ "$(nft -j list ruleset | jq -r '[.nftables[] | select(.rule) | .rule.comment] | join(",")')" = "bridge testnet c1id eth0 masq 10.88.0.2" ]
	run -0 env CNI_COMMAND=STATUS CNI_PATH="$PLUG" "$PLUG/bridge" <<<"$gc"
}

@test "16 parallel ADDs then DELs lose nothing" {
	for i in $(seq 16); do ip netns add p$i; done
	for i in $(seq 16); do rt "$PLUG" add p$i /run/netns/p$i eth0 > "$BATS_TEST_TMPDIR/r$i" & done
	wait
	[ "$(cat "$BATS_TEST_TMPDIR"/r* | jq -r '.ips[0].address' | sort -u | wc -l)" -eq 16 ]
	[ "$(ls "$DATA/testnet" | grep -c '^10\.')" -eq 16 ]
	[ "$(ip -j link show master cni0 | jq length)" -eq 16 ]
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 16 ]
	for i in $(seq 16); do rt "$PLUG" del p$i /run/netns/p$i eth0 & done
	wait
	nothing store_ips "$DATA/testnet"
	[ "$(ip -j link show master cni0 | jq length)" -eq 0 ]
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 0 ]
}

@test "0.4.0 config: results carry the ip version; loopback brings lo up" {
	cfg='{"cniVersion":"0.4.0","name":"hl","type":"host-local","ipam":{"type":"host-local","dataDir":"'$DATA'","subnet":"10.40.0.0/24"}}'
	run -0 plugin host-local ADD <<<"$cfg"
	[ "$(jq -r '.ips[0].version' <<<"$output")" = 4 ]
	run -0 plugin loopback ADD c1id /run/netns/c1 lo <<<'{"cniVersion":"1.0.0","name":"lo","type":"loopback"}'
	ip -n c1 -j link show lo | jq -e '.[0].flags | index("UP")'
	run -0 plugin loopback DEL c1id /run/netns/c1 lo <<<'{"cniVersion":"1.0.0","name":"lo","type":"loopback"}'
	ip -n c1 -j link show lo | jq -e '.[0].flags | index("UP") | not'
}
