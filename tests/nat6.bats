#!/usr/bin/env bats
# natmasq and natdnat over IPv6: the seed topology done dual-stack
# (tests/nat_topo.bash seed_topo6), checked with iputils ping -6, socat
# servers reached over IPv6 from the internet namespace, nft -j list ruleset
# and /proc/sys.  IPv6 rules go in table ip6 nsbox, beside table ip nsbox.

bats_require_minimum_version 1.5.0
load helper
load nat_topo

FWD6=/proc/sys/net/ipv6/conf/all/forwarding
MASQ6='[{"match":{"op":"==","left":{"payload":{"protocol":"ip6","field":"saddr"}},"right":{"prefix":{"addr":"fd00:10::","len":64}}}},{"match":{"op":"!=","left":{"meta":{"key":"oifname"}},"right":"planet-br"}},{"counter":{"packets":0,"bytes":0}},{"masquerade":null}]'
DNAT6='[{"match":{"op":"==","left":{"payload":{"protocol":"ip6","field":"daddr"}},"right":"2001:db8:100::1"}},{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":8000}},{"counter":{"packets":0,"bytes":0}},{"dnat":{"addr":"fd00:10::10","port":8000}}]'

@test "nat6: masquerade over IPv6 proven by ping -6, counted, removed by -d" {
	seed_topo6
	echo 1 >$FWD6
	# forwarding alone is not enough: the far side has no route back
	# (ping exits 1 when no reply came: 2, or 255 from ip netns exec, is a broken probe)
	run ip netns exec earth ping -6 -c1 -W1 2001:db8:53::53
	assert_failure 1
	natmasq fd00:10::/64 -o '!planet-br'
	ip netns exec earth ping -6 -c1 -W1 2001:db8:53::53
	ip netns exec neptune ping -6 -c2 -i 0.2 -W1 2001:db8:53::53
	# inside the bridge nothing is rewritten
	ip netns exec earth ping -6 -c1 -W1 fd00:10::20
	# two connections (ping runs) of 104-byte echo requests
	[ "$(nft_counts)" = '["ip6","postrouting","natmasq fd00:10::/64 -o !planet-br",2,208]' ]
	[ "$(natmasq -j | jq -c '.[] | [.family, .src, .packets, .bytes]')" = '["ip6","fd00:10::/64",2,208]' ]
	run -0 natmasq -v
	assert_output "       2        208 fd00:10::/64 -o !planet-br"
	natmasq -d fd00:10::/64 -o '!planet-br'
	run ip netns exec earth ping -6 -c1 -W1 2001:db8:53::53
	assert_failure 1
	nothing nft_rules
}

@test "nat6: port forward reached over IPv6 from the internet and from the host" {
	seed_topo6
	serve earth tcp6 8000 earth
	blocked "Connection refused" ask inet tcp6 '[2001:db8:100::1]:8000'
	natdnat -p tcp '[2001:db8:100::1]:8000' '[fd00:10::10]:8000'
	run -0 nft_rules
	assert_line --index 0 "[\"prerouting\",\"natdnat -p tcp [2001:db8:100::1]:8000 [fd00:10::10]:8000\",$DNAT6]"
	assert_line --index 1 "[\"output\",\"natdnat -p tcp [2001:db8:100::1]:8000 [fd00:10::10]:8000\",$DNAT6]"
	[ "${#lines[@]}" = 2 ]
	[ "$(ask inet tcp6 '[2001:db8:100::1]:8000')" = earth ]
	[ "$(ask inet tcp6 '[2001:db8:100::1]:8000')" = earth ]
	# made on the host itself: the output chain
	[ "$(ask tcp6 '[2001:db8:100::1]:8000')" = earth ]
	# only that address
	blocked "Connection refused" ask neptune tcp6 '[fd00:10::1]:8000'
	[ "$(nft_counts | jq -s -c 'map([.[0], .[1], .[3]])')" = '[["ip6","prerouting",2],["ip6","output",1]]' ]
	sum=$(nft_counts | jq -s -c '[(map(.[3]) | add), (map(.[4]) | add)]')
	[ "$(natdnat -j | jq -c '.[] | [.packets, .bytes]')" = "$sum" ]
	run -0 natdnat
	assert_output "-p tcp [2001:db8:100::1]:8000 [fd00:10::10]:8000"
	[ "$(natdnat -j | jq -c '.[] | [.family, .dst, .dport, .to, .to_port, .chains]')" = \
	  '["ip6","2001:db8:100::1",8000,"fd00:10::10",8000,["prerouting","output"]]' ]
	natdnat -d '[2001:db8:100::1]:8000' '[fd00:10::10]:8000'
	blocked "Connection refused" ask inet tcp6 '[2001:db8:100::1]:8000'
	nothing nft_rules
}

@test "nat6: any local address, port kept, TO_ADDR without brackets; ::1 left out" {
	seed_topo6
	serve earth tcp6 8080 earth
	serve - tcp6 8080 host
	natdnat 8080 fd00:10::10
	[ "$(ask inet tcp6 '[2001:db8:100::1]:8080')" = earth ]
	[ "$(ask neptune tcp6 '[fd00:10::1]:8080')" = earth ]
	[ "$(ask tcp6 '[::1]:8080')" = host ]
	run -0 natdnat
	assert_output "-p tcp 8080 fd00:10::10"
	nft_rules | head -n1 | jq -e '.[2] | (.[0].match.left.fib.result == "type") and (.[1].match.right == "::1") and (.[1].match.op == "!=") and (.[-1].dnat == {"addr": "fd00:10::10"})'
}

@test "nat6: the dual-stack seed: IPv4 and IPv6 through one masquerade each and forwards side by side" {
	seed_topo6
	serve earth tcp6 8000 earth6
	natmasq 10.10.0.0/16 -o '!planet-br'
	natmasq fd00:10::/64 -o '!planet-br'
	natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000
	natdnat -p tcp '[2001:db8:100::1]:8000' '[fd00:10::10]:8000'
	ip netns exec earth ping -c1 -W1 192.0.2.53
	ip netns exec earth ping -6 -c1 -W1 2001:db8:53::53
	# socat's TCP6-LISTEN takes IPv4 too (a v4-mapped socket)
	[ "$(ask inet tcp 198.51.100.1:8000)" = earth6 ]
	[ "$(ask inet tcp6 '[2001:db8:100::1]:8000')" = earth6 ]
	[ "$(nft -j list ruleset | jq -c '[.nftables[] | select(.table) | .table | [.family, .name]]')" = '[["ip","nsbox"],["ip6","nsbox"]]' ]
	[ "$(nft_counts | jq -s -c 'map([.[0], .[1], .[3]])')" = \
	  '[["ip","postrouting",1],["ip","prerouting",1],["ip","output",0],["ip6","postrouting",1],["ip6","prerouting",1],["ip6","output",0]]' ]
	run -0 natmasq
	assert_output "$(printf '%s\n' '10.10.0.0/16 -o !planet-br' 'fd00:10::/64 -o !planet-br')"
	natmasq -d 10.10.0.0/16 -o '!planet-br'
	natdnat -d 198.51.100.1:8000 10.10.0.10:8000
	[ "$(nft_rules | jq -r '.[1]' | sort -u)" = "$(printf '%s\n' 'natdnat -p tcp [2001:db8:100::1]:8000 [fd00:10::10]:8000' 'natmasq fd00:10::/64 -o !planet-br')" ]
	ip netns exec earth ping -6 -c1 -W1 2001:db8:53::53
}

@test "nat6: table ip rules an older nsbox made keep working, listed and deleted beside table ip6" {
	seed_topo6
	# what nsbox made before counters and IPv6: table ip, no counter
	nft add table ip nsbox
	nft add chain ip nsbox postrouting '{ type nat hook postrouting priority 100; }'
	nft add rule ip nsbox postrouting ip saddr 10.10.0.0/16 oifname != planet-br masquerade comment '"natmasq 10.10.0.0/16 -o !planet-br"'
	echo 1 >/proc/sys/net/ipv4/ip_forward
	natmasq fd00:10::/64 -o '!planet-br'
	ip netns exec earth ping -c1 -W1 192.0.2.53
	ip netns exec earth ping -6 -c1 -W1 2001:db8:53::53
	run natmasq -v
	assert_output "$(printf '%s\n' '       -          - 10.10.0.0/16 -o !planet-br' '       1        104 fd00:10::/64 -o !planet-br')"
	fails 1 "natmasq: 10.10.0.0/16: File exists" natmasq 10.10.0.0/16 -o '!planet-br'
	natmasq -d 10.10.0.0/16 -o '!planet-br'
	run ip netns exec earth ping -c1 -W1 192.0.2.53
	assert_failure 1
	[ "$(nft_rules)" = "[\"postrouting\",\"natmasq fd00:10::/64 -o !planet-br\",$(jq -c '.[2].counter.packets = 1 | .[2].counter.bytes = 104' <<<"$MASQ6")]" ]
}

@test "nat6: IPv6 forwarding turned on in the target namespace only, IPv4's left alone" {
	ip netns add router
	ip netns exec router sh -c "echo 0 >$FWD6; echo 0 >/proc/sys/net/ipv4/ip_forward"
	echo 0 >$FWD6
	natmasq -n router fd00:10::/64
	[ "$(ip netns exec router cat $FWD6)" = 1 ]
	[ "$(ip netns exec router cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
	[ "$(cat $FWD6)" = 0 ]
	natdnat -n router 8000 '[fd00:10::10]:80'
	# -d never turns it off: other rules (or other tools) may need it
	natmasq -n router -d fd00:10::/64
	natdnat -n router -d 8000 '[fd00:10::10]:80'
	[ "$(ip netns exec router cat $FWD6)" = 1 ]
	nothing jqr '.nftables[] | select(.rule)' ip netns exec router nft -j list ruleset
}

@test "nat6: a kernel refusal exits 1, leaves no chain or rule it made, and puts forwarding back" {
	# somebody else's chain by our name in table ip6: the output rule cannot go in
	nft add table ip6 nsbox
	nft add chain ip6 nsbox output '{ type filter hook output priority 0; }'
	before=$(nft -j list ruleset)
	echo 0 >$FWD6
	fails 1 "natdnat: [2001:db8::1]:8000: Operation not supported" natdnat '[2001:db8::1]:8000' '[fd00::10]:80'
	# the prerouting chain and rule made in that transaction are gone too
	[ "$(nft -j list ruleset)" = "$before" ]
	[ "$(cat $FWD6)" = 0 ]
	# the same in table ip6's postrouting; table ip is not touched
	nft add chain ip6 nsbox postrouting '{ type filter hook input priority 0; }'
	before=$(nft -j list ruleset)
	fails 1 "natmasq: fd00::/64: Operation not supported" natmasq fd00::/64
	[ "$(nft -j list ruleset)" = "$before" ]
	[ "$(cat $FWD6)" = 0 ]
	# a rule of ours in table ip6 keeps forwarding on after a refusal
	nft delete chain ip6 nsbox output
	natdnat '[2001:db8::1]:8000' '[fd00::10]:80'
	echo 0 >$FWD6
	fails 1 "natmasq: fd00::/64: Operation not supported" natmasq fd00::/64
	[ "$(cat $FWD6)" = 1 ]
}

@test "nat6: read-only /proc/sys with IPv6 forwarding off: one line, nothing made" {
	echo 0 >$FWD6
	mount --bind /proc/sys /proc/sys
	mount -o remount,bind,ro /proc/sys
	fails 1 "natmasq: $FWD6: Read-only file system" natmasq fd00::/64
	fails 1 "natdnat: $FWD6: Read-only file system" natdnat 8000 fd00::10
	nothing nft list ruleset
}

@test "nat6: bad or mixed-family input exits 2 and changes nothing" {
	echo 0 >$FWD6
	echo 0 >/proc/sys/net/ipv4/ip_forward
	P="invalid port (1-65535, or LOW-HIGH with LOW <= HIGH)"
	fails 2 "natmasq: fd00::/129: invalid prefix" natmasq fd00::/129
	fails 2 "natmasq: fd00::1::/64: invalid prefix" natmasq fd00::1::/64
	fails 2 "natmasq: [fd00::]/64: invalid prefix" natmasq '[fd00::]/64'
	fails 2 "natdnat: fd00::10: IPv4 and IPv6 mixed" natdnat 198.51.100.1:8000 fd00::10
	fails 2 "natdnat: [fd00::10]:80: IPv4 and IPv6 mixed" natdnat 198.51.100.1:8000 '[fd00::10]:80'
	fails 2 "natdnat: 10.10.0.10:80: IPv4 and IPv6 mixed" natdnat '[2001:db8::1]:8000' 10.10.0.10:80
	fails 2 "natdnat: [::ffff:127.0.0.1]:80: invalid address" natdnat 8000 '[::ffff:127.0.0.1]:80'
	fails 2 "natdnat: ::: invalid address" natdnat 8000 ::
	fails 2 "natdnat: [::]:8082: invalid address" natdnat '[::]:8082' '[fd00::10]:80'
	fails 2 "natdnat: 2001:db8::1:8000: invalid address" natdnat 2001:db8::1:8000 fd00::10
	fails 2 "natdnat: [2001:db8::1]: $P" natdnat '[2001:db8::1]' fd00::10
	fails 2 "natdnat: [fd00::10]:0: $P" natdnat 8000 '[fd00::10]:0'
	fails 2 "natdnat: [fd00::10: invalid address" natdnat 8000 '[fd00::10'
	fails 2 "natdnat: [::1]:8000: ::1 cannot be forwarded" natdnat '[::1]:8000' fd00::10
	fails 2 "natdnat: ::1: ::1 cannot be forwarded" natdnat 8000 ::1
	nothing nft list ruleset
	[ "$(cat $FWD6)" = 0 ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
}

@test "nat6: the longest command a rule comment holds is taken, a longer one refused" {
	long=ffff:ffff:ffff:ffff:ffff:ffff:ffff
	# 127 bytes, nft's limit for a comment with its NUL
	natdnat -i abcdefghijklmno "[$long:fffe]:65000-65535" "$long:fffd"
	run natdnat
	assert_output "-p tcp -i abcdefghijklmno [$long:fffe]:65000-65535 $long:fffd"
	[ "$(nft_rules | jq -r '.[1] | length')" = 127 ]
	fails 2 "natdnat: [$long:fffd]:65535: too long for a rule comment" natdnat -i abcdefghijklmno "[$long:fffe]:65000-65535" "[$long:fffd]:65535"
	[ "$(nft_rules | wc -l)" = 1 ]
	natdnat -d -i abcdefghijklmno "[$long:fffe]:65000-65535" "$long:fffd"
	nothing nft_rules
}

@test "nat6: a batch making table ip, then table ip6, then removing both" {
	cat >"$BATS_TEST_TMPDIR/b" <<-'EOF'
	natmasq 10.10.0.0/16
	natmasq fd00:10::/64
	natdnat 8000 10.10.0.10
	natdnat 8000 fd00:10::10
	natdnat -e 8000 fd00:10::10
	natmasq -d 10.10.0.0/16
	natdnat -d 8000 fd00:10::10
	EOF
	nsbox -b "$BATS_TEST_TMPDIR/b"
	[ "$(nft_counts | jq -s -c 'map(.[0:3])')" = \
	  '[["ip","prerouting","natdnat -p tcp 8000 10.10.0.10"],["ip","output","natdnat -p tcp 8000 10.10.0.10"],["ip6","postrouting","natmasq fd00:10::/64"]]' ]
	fails_batch 1 "1: natmasq: fd00:10::/64: File exists" "natmasq fd00:10::/64"
}
