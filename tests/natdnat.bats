#!/usr/bin/env bats
# natdnat: checked with socat servers in namespaces reached from the simulated
# internet and from the host itself, nft -j list ruleset, iptables and /proc/sys.

bats_require_minimum_version 1.5.0
load helper
load nat_topo

DNAT_SEED='[{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":"198.51.100.1"}},{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":8000}},{"counter":{"packets":0,"bytes":0}},{"dnat":{"addr":"10.10.0.10","port":8000}}]'
LOCAL='{"match":{"op":"==","left":{"fib":{"result":"type","flags":["daddr"]}},"right":"local"}},{"match":{"op":"!=","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":{"prefix":{"addr":"127.0.0.0","len":8}}}}'

@test "natdnat: the seed's forward, from the internet and from the host, removed by -d" {
	seed_topo
	serve earth tcp 8000 earth
	blocked "Connection refused" ask inet tcp 198.51.100.1:8000
	run natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000
	assert_success
	assert_output ""
	[ "$(ask inet tcp 198.51.100.1:8000)" = earth ]
	# made on the host itself: the output chain
	[ "$(ask tcp 198.51.100.1:8000)" = earth ]
	# only that address
	blocked "Connection refused" ask tcp 10.10.0.1:8000
	natdnat -d -p tcp 198.51.100.1:8000 10.10.0.10:8000
	blocked "Connection refused" ask inet tcp 198.51.100.1:8000
	blocked "Connection refused" ask tcp 198.51.100.1:8000
	nothing nft_rules
}

@test "natdnat: counters rise with the connections forwarded, as nft -j counts them" {
	seed_topo
	serve earth tcp 8000 earth
	natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000
	[ "$(natdnat -j | jq -c '.[] | [.family, .packets, .bytes]')" = '["ip",0,0]' ]
	# NAT chains see the first packet of a connection (its SYN): two from
	# the internet (prerouting), one made on the host (output)
	[ "$(ask inet tcp 198.51.100.1:8000)" = earth ]
	[ "$(ask inet tcp 198.51.100.1:8000)" = earth ]
	[ "$(ask tcp 198.51.100.1:8000)" = earth ]
	run -0 nft_counts
	assert_line --index 0 --regexp '^\["ip","prerouting","natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000",2,[0-9]+\]$'
	assert_line --index 1 --regexp '^\["ip","output","natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000",1,[0-9]+\]$'
	# -j and -v: the forward's chains added up
	sum=$(nft_counts | jq -s -c '[(map(.[3]) | add), (map(.[4]) | add)]')
	[ "$(natdnat -j | jq -c '.[] | [.packets, .bytes]')" = "$sum" ]
	run -0 natdnat -v
	assert_output "$(printf '%8s %10s %s' "$(jq '.[0]' <<<"$sum")" "$(jq '.[1]' <<<"$sum")" '-p tcp 198.51.100.1:8000 10.10.0.10:8000')"
	[ "$(ask inet tcp 198.51.100.1:8000)" = earth ]
	[ "$(natdnat -j | jq '.[0].packets')" = 4 ]
	[ "$(nft_counts | jq -s 'map(.[3]) | add')" = 4 ]
	# a connection refused before the forward counts nothing: udp is not it
	blocked "Connection refused" ask inet udp 198.51.100.1:8000
	[ "$(natdnat -j | jq '.[0].packets')" = 4 ]
}

@test "natdnat: a forward an older nsbox made (no counter) lists without counts and is deleted" {
	nft add table ip nsbox
	nft add chain ip nsbox prerouting '{ type nat hook prerouting priority -100; }'
	nft add chain ip nsbox output '{ type nat hook output priority -100; }'
	for c in prerouting output; do
		nft add rule ip nsbox $c ip daddr 198.51.100.1 tcp dport 8000 dnat to 10.10.0.10:8000 comment '"natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000"'
	done
	run -0 natdnat -v
	assert_output "       -          - -p tcp 198.51.100.1:8000 10.10.0.10:8000"
	[ "$(natdnat -j | jq -c '.[] | [.chains, has("packets")]')" = '[["prerouting","output"],false]' ]
	natdnat -d 198.51.100.1:8000 10.10.0.10:8000
	nothing nft_rules
}

@test "natdnat: the rules nft -j shows, in prerouting and output" {
	natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000
	run -0 nft_rules
	assert_line --index 0 "[\"prerouting\",\"natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000\",$DNAT_SEED]"
	assert_line --index 1 "[\"output\",\"natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000\",$DNAT_SEED]"
	[ "${#lines[@]}" = 2 ]
	[ "$(nft -j list ruleset | jq -c '[.nftables[] | select(.chain) | .chain | [.table, .name, .type, .hook, .prio]]')" = \
	  '[["nsbox","prerouting","nat","prerouting",-100],["nsbox","output","nat","output",-100]]' ]
	nft list ruleset | grep -F 'comment "natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000"'
}

@test "natdnat: any local address, port kept, from both sides" {
	seed_topo
	serve earth tcp 8080 earth
	natdnat 8080 10.10.0.10
	[ "$(ask inet tcp 198.51.100.1:8080)" = earth ]
	[ "$(ask tcp 198.51.100.1:8080)" = earth ]
	[ "$(ask tcp 10.10.0.1:8080)" = earth ]
	[ "$(ask neptune tcp 10.10.0.1:8080)" = earth ]
	# two connections came in (prerouting), two were made here (output)
	[ "$(nft_rules_pk | head -n1)" = "[\"prerouting\",\"natdnat -p tcp 8080 10.10.0.10\",[$LOCAL,{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"tcp\",\"field\":\"dport\"}},\"right\":8080}},{\"counter\":{\"packets\":2,\"bytes\":0}},{\"dnat\":{\"addr\":\"10.10.0.10\"}}]]" ]
}

@test "natdnat: udp port range to one port" {
	seed_topo
	serve neptune udp 5353 neptune
	natdnat -p udp 198.51.100.1:6000-6010 10.10.0.20:5353
	[ "$(ask inet udp 198.51.100.1:6005)" = neptune ]
	[ "$(ask udp 198.51.100.1:6010)" = neptune ]
	blocked "Connection refused" ask inet udp 198.51.100.1:6011
	run -0 nft_rules_pk
	assert_line --index 0 '["prerouting","natdnat -p udp 198.51.100.1:6000-6010 10.10.0.20:5353",[{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":"198.51.100.1"}},{"match":{"op":"==","left":{"payload":{"protocol":"udp","field":"dport"}},"right":{"range":[6000,6010]}}},{"counter":{"packets":1,"bytes":0}},{"dnat":{"addr":"10.10.0.20","port":5353}}]]'
}

@test "natdnat: -i matches the arriving interface, prerouting only" {
	seed_topo
	serve earth tcp 8000 earth
	natdnat -i uplink 8000 10.10.0.10
	[ "$(ask inet tcp 198.51.100.1:8000)" = earth ]
	blocked "Connection refused" ask neptune tcp 10.10.0.1:8000
	run -0 nft_rules_pk
	[ "${#lines[@]}" = 1 ]
	assert_line --index 0 "[\"prerouting\",\"natdnat -p tcp -i uplink 8000 10.10.0.10\",[$LOCAL,{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"iifname\"}},\"right\":\"uplink\"}},{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"tcp\",\"field\":\"dport\"}},\"right\":8000}},{\"counter\":{\"packets\":1,\"bytes\":0}},{\"dnat\":{\"addr\":\"10.10.0.10\"}}]]"
}

@test "natdnat: 127.0.0.0/8 is refused, and any local address leaves it out" {
	fails 2 "natdnat: 127.0.0.1:8000: 127.0.0.0/8 cannot be forwarded (it needs route_localnet)" natdnat 127.0.0.1:8000 10.10.0.10
	fails 2 "natdnat: 127.0.0.1:80: 127.0.0.0/8 cannot be forwarded (it needs route_localnet)" natdnat 8000 127.0.0.1:80
	nothing nft list ruleset
	seed_topo
	serve earth tcp 8000 earth
	natdnat 8000 10.10.0.10
	serve - tcp 8000 host
	[ "$(ask tcp 198.51.100.1:8000)" = earth ]
	[ "$(ask tcp 127.0.0.1:8000)" = host ]
}

@test "natdnat: turns on IPv4 forwarding in the target namespace only" {
	echo 0 >/proc/sys/net/ipv4/ip_forward
	ip netns add router
	natdnat -n router 8000 10.10.0.10
	[ "$(ip netns exec router cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
	nothing nft_rules
	[ "$(ip netns exec router nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" = 2 ]
}

@test "natdnat: existing forward exits 1; -e never duplicates and repairs" {
	natdnat 8000 10.10.0.10:80
	fails 1 "natdnat: 8000: File exists" natdnat -p tcp 8000 10.10.0.10:80
	natdnat -e 8000 10.10.0.10:80
	[ "$(nft_rules | wc -l)" = 2 ]
	# half of it removed by hand: -e puts back only what is missing
	nft delete rule ip nsbox output handle "$(nft -j list chain ip nsbox output | jq '.nftables[] | select(.rule) | .rule.handle')"
	natdnat -e 8000 10.10.0.10:80
	run -0 nft_rules
	[ "${#lines[@]}" = 2 ]
	assert_line --index 1 --partial '["output","natdnat -p tcp 8000 10.10.0.10:80",'
	# udp is another forward
	natdnat -p udp 8000 10.10.0.10:80
	[ "$(nft_rules | wc -l)" = 4 ]
}

@test "natdnat: -d removes exactly the forward described" {
	natdnat 8000 10.10.0.10
	natdnat 8000 10.10.0.10:8000
	natdnat -p udp 8000 10.10.0.10
	natdnat -d 8000 10.10.0.10:8000
	[ "$(nft_rules | jq -r '.[1]' | sort -u)" = "$(printf '%s\n' 'natdnat -p tcp 8000 10.10.0.10' 'natdnat -p udp 8000 10.10.0.10')" ]
	[ "$(nft_rules | wc -l)" = 4 ]
	fails 1 "natdnat: 8000: No such file or directory" natdnat -d 8000 10.10.0.10:8000
	natdnat -e -d 8000 10.10.0.10:8000
}

@test "natdnat: iptables-nft and iptables-legacy rules are left alone" {
	iptables-nft -t nat -A PREROUTING -d 198.51.100.1 -p tcp -m tcp --dport 9000 -j DNAT --to-destination 10.10.0.20:9000
	iptables-legacy -t nat -A PREROUTING -p tcp --dport 9001 -j DNAT --to-destination 10.10.0.20:9001
	before_nft=$(iptables-nft -t nat -S)
	before_legacy=$(iptables-legacy -t nat -S)
	before=$(nft -j list ruleset | jq -c '[.nftables[] | select(.rule.table == "nat" or .chain.table == "nat")]')
	natdnat 198.51.100.1:8000 10.10.0.10:8000
	natdnat -p udp 9000 10.10.0.10
	natdnat -d 198.51.100.1:8000 10.10.0.10:8000
	[ "$(iptables-nft -t nat -S)" = "$before_nft" ]
	[ "$(iptables-legacy -t nat -S)" = "$before_legacy" ]
	[ "$(nft -j list ruleset | jq -c '[.nftables[] | select(.rule.table == "nat" or .chain.table == "nat")]')" = "$before" ]
}

@test "natdnat: both tools' forwards work side by side" {
	seed_topo
	serve earth tcp 8000 earth
	serve neptune tcp 9000 neptune
	iptables-nft -t nat -A PREROUTING -d 198.51.100.1 -p tcp -m tcp --dport 9000 -j DNAT --to-destination 10.10.0.20:9000
	natdnat 198.51.100.1:8000 10.10.0.10:8000
	[ "$(ask inet tcp 198.51.100.1:8000)" = earth ]
	[ "$(ask inet tcp 198.51.100.1:9000)" = neptune ]
}

@test "natdnat: the list and -j agree with nft -j" {
	natdnat 198.51.100.1:8000 10.10.0.10:8000
	natdnat -p udp -i uplink 6000-6010 10.10.0.20
	run natdnat
	assert_success
	assert_output "$(printf '%s\n' '-p tcp 198.51.100.1:8000 10.10.0.10:8000' '-p udp -i uplink 6000-6010 10.10.0.20')"
	mine=$(natdnat -j | jq -c '[.[] | {chains, protocol, dport, dport_end, to, to_port}]')
	theirs=$(nft -j list table ip nsbox | jq -c '[.nftables[] | select(.rule) | .rule] | group_by(.comment) |
		map({chains: map(.chain),
		     protocol: (.[0].expr[] | select(.match.left.payload.field == "dport") | .match.left.payload.protocol),
		     dport: (.[0].expr[] | select(.match.left.payload.field == "dport") | .match.right | if type == "object" then .range[0] else . end),
		     dport_end: (.[0].expr[] | select(.match.left.payload.field == "dport") | .match.right | if type == "object" then .range[1] else null end),
		     to: (.[0].expr[-1].dnat.addr), to_port: (.[0].expr[-1].dnat.port)})')
	[ "$mine" = "$theirs" ]
}

@test "natdnat: bad input exits 2 and sends nothing" {
	echo 0 >/proc/sys/net/ipv4/ip_forward
	echo 0 >/proc/sys/net/ipv6/conf/all/forwarding
	P="invalid port (1-65535, or LOW-HIGH with LOW <= HIGH)"
	fails 2 "natdnat: 0: $P" natdnat 0 10.10.0.10
	fails 2 "natdnat: 65536: $P" natdnat 65536 10.10.0.10
	fails 2 "natdnat: 198.51.100.1:8010-8000: $P" natdnat 198.51.100.1:8010-8000 10.10.0.10
	fails 2 "natdnat: 10.10.0.10:0: $P" natdnat 8000 10.10.0.10:0
	fails 2 "natdnat: 10.10.0.10:70000: $P" natdnat 8000 10.10.0.10:70000
	fails 2 "natdnat: 10.10.0.10:80-90: $P" natdnat 8000 10.10.0.10:80-90
	fails 2 "natdnat: http: $P" natdnat http 10.10.0.10
	fails 2 "natdnat: sctp: unknown protocol (tcp or udp)" natdnat -p sctp 8000 10.10.0.10
	fails 2 "natdnat: TCP: unknown protocol (tcp or udp)" natdnat -p TCP 8000 10.10.0.10
	fails 2 "natdnat: TO_ADDR: missing operand" natdnat 8000
	fails 2 "natdnat: [ADDR:]PORT: missing operand" natdnat -p udp
	fails 2 "natdnat: 10.10.0/24:8000: invalid address" natdnat 10.10.0/24:8000 10.10.0.10
	fails 2 "natdnat: earth: invalid address" natdnat 8000 earth
	fails 2 "natdnat: fd00::1:8000: invalid address" natdnat fd00::1:8000 10.10.0.10
	fails 2 "natdnat: [fd00::1]8000: invalid address" natdnat [fd00::1]8000 [fd00::10]
	fails 2 "natdnat: [fd00::1]: $P" natdnat [fd00::1] [fd00::10]
	fails 2 "natdnat: [10.10.0.10]:80: invalid address" natdnat 8000 [10.10.0.10]:80
	fails 2 "natdnat: fd00::10: IPv4 and IPv6 mixed" natdnat 198.51.100.1:8000 fd00::10
	fails 2 "natdnat: 10.10.0.10: IPv4 and IPv6 mixed" natdnat [2001:db8::1]:8000 10.10.0.10
	fails 2 "natdnat: [::1]:8000: ::1 cannot be forwarded" natdnat [::1]:8000 [fd00::10]
	fails 2 "natdnat: -v: only lists" natdnat -v 8000 10.10.0.10
	fails 2 "natdnat: abcdefghijklmnop: invalid interface name" natdnat -i abcdefghijklmnop 8000 10.10.0.10
	fails 2 "natdnat: 9: unexpected argument" natdnat 8000 10.10.0.10 9
	fails 2 "natdnat: -x: unknown option" natdnat -x 8000 10.10.0.10
	nothing nft list ruleset
	[ "$(cat /proc/sys/net/ipv6/conf/all/forwarding)" = 0 ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
}

@test "natdnat: a kernel refusal exits 1 and the command applies not at all" {
	# somebody else's chain by our name: the output rule cannot go in
	nft add table ip nsbox
	nft add chain ip nsbox output '{ type filter hook output priority 0; }'
	before=$(nft -j list ruleset)
	fails 1 "natdnat: 8000: Operation not supported" natdnat 8000 10.10.0.10
	# no prerouting chain or rule was left behind either
	[ "$(nft -j list ruleset)" = "$before" ]
}

@test "natdnat: the seed's steps work with no nft or iptables on PATH" {
	seed_topo
	serve earth tcp 8000 earth
	(
		PATH="$BIN"
		[ -z "$(command -v nft iptables iptables-nft iptables-legacy)" ]
		natmasq 10.10.0.0/16 -o '!planet-br'
		natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000
	)
	ip netns exec earth ping -c1 -W1 192.0.2.53
	[ "$(ask inet tcp 198.51.100.1:8000)" = earth ]
	[ "$(ask tcp 198.51.100.1:8000)" = earth ]
}

@test "natdnat: 1000 forwards in one nsbox -b" {
	for p in $(seq 20001 21000); do echo "natdnat $p 10.10.0.10"; done >"$BATS_TEST_TMPDIR/b"
	nsbox -b "$BATS_TEST_TMPDIR/b"
	[ "$(nft_rules | wc -l)" = 2000 ]
	[ "$(natdnat | wc -l)" = 1000 ]
	sed 's/^natdnat/natdnat -d/' "$BATS_TEST_TMPDIR/b" | nsbox -b -
	nothing nft_rules
}

@test "natdnat: a batch notices rules changed behind its back" {
	ip netns add r
	# each line fails the batch unless nsbox saw the change made by nft
	cat >"$BATS_TEST_TMPDIR/b" <<-'EOF'
	natdnat -n r 8000 10.10.0.10
	natdnat -n r 8001 10.10.0.10
	nsexec r nft flush ruleset
	natdnat -n r 8000 10.10.0.10
	nsexec r sh -c 'nft delete rule ip nsbox output handle $(nft -j list chain ip nsbox output | jq ".nftables[] | select(.rule) | .rule.handle")'
	natdnat -n r -e 8000 10.10.0.10
	nsexec r sh -c 'test "$(nft -j list ruleset | jq -c "[.nftables[] | select(.rule) | .rule.chain]")" = "[\"prerouting\",\"output\"]"'
	nsexec r nft add rule ip nsbox prerouting tcp dport 9 counter comment '"natdnat -p tcp 8002 10.10.0.10"'
	natdnat -n r -d 8002 10.10.0.10
	natdnat -n r -d 8000 10.10.0.10
	EOF
	nsbox -b "$BATS_TEST_TMPDIR/b"
	nothing jqr '.nftables[] | select(.rule)' ip netns exec r nft -j list ruleset
}

@test "natdnat: --help prints the synopsis" {
	run natdnat --help
	assert_success
	assert_line --index 0 "natdnat [-n NETNS] [-j] [-v]                     list port forwards"
	assert_line --index 1 "natdnat [-n NETNS] [-e] [-d] [-p tcp|udp] [-i IFACE] [ADDR:]PORT[-PORT] TO_ADDR[:PORT]"
}
