#!/usr/bin/env bats
# natmasq: checked with iputils ping across the simulated internet (whose far
# side has no route back), nft -j list ruleset, iptables and /proc/sys.

bats_require_minimum_version 1.5.0
load helper
load nat_topo

MASQ='[{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":{"prefix":{"addr":"10.10.0.0","len":16}}}},{"match":{"op":"!=","left":{"meta":{"key":"oifname"}},"right":"planet-br"}},{"counter":{"packets":0,"bytes":0}},{"masquerade":null}]'

@test "natmasq: masquerade proven by traffic, removed by -d" {
	seed_topo
	echo 1 >/proc/sys/net/ipv4/ip_forward
	# forwarding alone is not enough: the far side has no route back
	# (ping exits 1 when no reply came: 2, or 255 from ip netns exec, is a broken probe)
	run ip netns exec earth ping -c1 -W1 192.0.2.53
	assert_failure 1
	run natmasq 10.10.0.0/16 -o '!planet-br'
	assert_success
	assert_output ""
	ip netns exec earth ping -c1 -W1 192.0.2.53
	ip netns exec neptune ping -c1 -W1 192.0.2.53
	# inside the bridge nothing is rewritten
	ip netns exec earth ping -c1 -W1 10.10.0.20
	natmasq -d 10.10.0.0/16 -o '!planet-br'
	run ip netns exec earth ping -c1 -W1 192.0.2.53
	assert_failure 1
	nothing nft_rules
}

@test "natmasq: counters rise with the connections masqueraded, as nft -j counts them" {
	seed_topo
	natmasq 10.10.0.10/16 -o '!planet-br'
	[ "$(natmasq -j | jq -c '.[] | [.family, .packets, .bytes]')" = '["ip",0,0]' ]
	# NAT chains see the first packet of a connection: each ping run is
	# one (its own ICMP id), an echo request of 84 bytes
	ip netns exec earth ping -c1 -W1 192.0.2.53
	ip netns exec neptune ping -c1 -W1 192.0.2.53
	ip netns exec earth ping -c3 -i 0.2 -W1 192.0.2.53
	# not masqueraded: inside the bridge
	ip netns exec earth ping -c1 -W1 10.10.0.20
	[ "$(nft_counts)" = '["ip","postrouting","natmasq 10.10.0.0/16 -o !planet-br",3,252]' ]
	[ "$(natmasq -j | jq -c '.[] | [.packets, .bytes]')" = "$(nft_counts | jq -c '.[3:]')" ]
	run -0 natmasq -v
	assert_output "       3        252 10.10.0.0/16 -o !planet-br"
	ip netns exec neptune ping -c1 -W1 192.0.2.53
	[ "$(nft_counts | jq -c '.[3:]')" = '[4,336]' ]
	[ "$(natmasq -j | jq -c '.[] | [.packets, .bytes]')" = '[4,336]' ]
	# the plain list is unchanged
	run -0 natmasq
	assert_output "10.10.0.0/16 -o !planet-br"
}

@test "natmasq: a rule an older nsbox made (no counter) lists without counts, is found and deleted" {
	nft add table ip nsbox
	nft add chain ip nsbox postrouting '{ type nat hook postrouting priority 100; }'
	nft add rule ip nsbox postrouting ip saddr 10.10.0.0/16 oifname != planet-br masquerade comment '"natmasq 10.10.0.0/16 -o !planet-br"'
	natmasq 10.20.0.0/16
	run natmasq -v
	assert_line --index 0 "       -          - 10.10.0.0/16 -o !planet-br"
	assert_line --index 1 "       0          0 10.20.0.0/16"
	# absent, not 0: nothing was counted
	[ "$(natmasq -j | jq -c '[.[] | [.src, has("packets"), has("bytes"), .packets]]')" = '[["10.10.0.0/16",false,false,null],["10.20.0.0/16",true,true,0]]' ]
	fails 1 "natmasq: 10.10.0.0/16: File exists" natmasq 10.10.0.0/16 -o '!planet-br'
	natmasq -d 10.10.0.0/16 -o '!planet-br'
	[ "$(nft_rules | jq -r '.[1]')" = "natmasq 10.20.0.0/16" ]
}

@test "natmasq: the rule nft -j shows, in table ip nsbox chain postrouting" {
	natmasq 10.10.0.10/16 -o '!planet-br'
	[ "$(nft_rules)" = "[\"postrouting\",\"natmasq 10.10.0.0/16 -o !planet-br\",$MASQ]" ]
	nft -j list ruleset | jq -e '[.nftables[] | select(.chain)] | length == 1'
	nft -j list ruleset | jq -e '.nftables[] | select(.chain) | .chain |
		.table == "nsbox" and .name == "postrouting" and .type == "nat" and
		.hook == "postrouting" and .prio == 100'
	nft list ruleset | grep -F 'comment "natmasq 10.10.0.0/16 -o !planet-br"'
}

# identity RULE_COMMENT MAKER: the rule carries, beside that comment (what
# nft and iptables-nft show), its identity: the userdata TLV of type 0x6e
# ("n"), version 1, that maker (1 natmasq, 2 natdnat, 3 iptables), as libnftnl
# prints the rule's userdata
identity() {
	local ud
	ud=$(nft --debug=netlink list table ip nsbox 2>&1 | grep -aF -- "$1\\x00") ||
		{ echo "no rule with comment [$1]"; return 1; }
	# the comment's NUL, type n, a length byte, version 1, the maker
	grep -qaE -- "\\\\x00n(\\\\x[0-9a-f]{2}|[^\\\\])\\\\x01\\\\x0$2" <<<"$ud" ||
		{ echo "no identity by maker $2 in: $ud"; return 1; }
}

@test "natmasq: each rule carries its identity beside its comment; nft and iptables' oracles still read the comment" {
	natmasq 10.10.0.10/16 -o '!planet-br'
	natdnat -p udp 5353 10.10.0.2:53
	"$NSBOX" iptables -t nat -A POSTROUTING -s 10.30.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1
	"$NSBOX" iptables -A FORWARD -i planet-br -j ACCEPT
	identity "natmasq 10.10.0.0/16 -o !planet-br" 1
	identity "natdnat -p udp 5353 10.10.0.2:53" 2
	identity "-A POSTROUTING -s 10.30.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1" 3
	identity "-A FORWARD -i planet-br -j ACCEPT" 3
	[ "$(nft -j list ruleset | jq -c '[.nftables[] | select(.rule) | .rule.comment]')" = \
	  '["natmasq 10.10.0.0/16 -o !planet-br","-A POSTROUTING -s 10.30.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1","natdnat -p udp 5353 10.10.0.2:53","natdnat -p udp 5353 10.10.0.2:53","-A FORWARD -i planet-br -j ACCEPT"]' ]
	# what the identity says, as natmasq lists it and iptables prints it
	[ "$(natmasq -j | jq -c '[.[] | [.src, .oifname, .oifname_negated]]')" = \
	  '[["10.10.0.0/16","planet-br",true],["10.30.0.0/16",null,null]]' ]
	run -0 "$NSBOX" iptables -t nat -S POSTROUTING
	[ "${lines[1]}" = "-A POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE" ]
	[ "${lines[2]}" = "-A POSTROUTING -s 10.30.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1" ]
	# a CNI attachment's rules carry none: their comment is their key
	[ "$(nft --debug=netlink list table ip nsbox 2>&1 | grep -ac 'userdata')" = 5 ]
}

@test "natmasq: iptables' rules an older nsbox made (a comment, no identity) are still listed, shown and deleted" {
	nft add table ip nsbox
	nft add chain ip nsbox postrouting '{ type nat hook postrouting priority 100; }'
	nft add chain ip nsbox FORWARD '{ type filter hook forward priority 0; }'
	nft add rule ip nsbox postrouting ip saddr 10.30.0.0/16 ip protocol tcp counter snat to 192.0.2.1 \
		comment '"-A POSTROUTING -s 10.30.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1"'
	nft add rule ip nsbox FORWARD iifname planet-br counter accept comment '"-A FORWARD -i planet-br -j ACCEPT"'
	natmasq 10.10.0.0/16
	run -0 natmasq
	[ "$output" = "-A POSTROUTING -s 10.30.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1"$'\n'"10.10.0.0/16" ]
	# its fields are iptables' to read: -j gives its comment and handle
	[ "$(natmasq -j | jq -c '[.[] | [.src, (.handle | type), .comment]]')" = \
	  '[[null,"number","-A POSTROUTING -s 10.30.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1"],["10.10.0.0/16","number","natmasq 10.10.0.0/16"]]' ]
	run -0 "$NSBOX" iptables -t nat -S POSTROUTING
	[ "${lines[1]}" = "-A POSTROUTING -s 10.30.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1" ]
	run -0 "$NSBOX" iptables -S FORWARD
	[ "${lines[1]}" = "-A FORWARD -i planet-br -j ACCEPT" ]
	"$NSBOX" iptables -t nat -D POSTROUTING -s 10.30.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1
	"$NSBOX" iptables -D FORWARD -i planet-br -j ACCEPT
	[ "$(nft -j list ruleset | jq -c '[.nftables[] | select(.rule) | .rule.comment]')" = '["natmasq 10.10.0.0/16"]' ]
}

@test "natmasq: a filter rule whose identity would not fit beside its comment is made, zeroed (-Z) and read from its comment alone" {
	# its -A line fits nft's comment, but its identity (the --comment and
	# the chain again) would not fit beside it in the kernel's 256 bytes:
	# -Z writes an older nsbox's again as it was, and zeroes the rest of the
	# table too; -A makes one now with its comment alone, as before
	local c line packets
	c=$(printf 'c%.0s' $(seq 86))
	line="-A OUTPUT -m comment --comment $c -j ACCEPT"
	packets='[.nftables[] | select(.rule) | .rule.expr[] | select(.counter) | .counter.packets]'
	nft add table ip nsbox
	nft add chain ip nsbox OUTPUT '{ type filter hook output priority 0; }'
	nft add rule ip nsbox OUTPUT counter accept comment "\"$line\""
	"$NSBOX" iptables -A OUTPUT -p icmp -j ACCEPT
	ping -c1 -W1 127.0.0.1
	[ "$(nft -j list chain ip nsbox OUTPUT | jq -c "$packets")" != '[0,0]' ]
	run -0 "$NSBOX" iptables -Z
	[ "$(nft -j list chain ip nsbox OUTPUT | jq -c "$packets")" = '[0,0]' ]
	ping -c1 -W1 127.0.0.1
	run -0 "$NSBOX" iptables -Z OUTPUT
	[ "$(nft -j list chain ip nsbox OUTPUT | jq -c "$packets")" = '[0,0]' ]
	[ "$(nft -j list chain ip nsbox OUTPUT | jq -c '[.nftables[] | select(.rule) | .rule.comment]')" = \
	  "[\"$line\",\"-A OUTPUT -p icmp -j ACCEPT\"]" ]
	run -0 "$NSBOX" iptables -S OUTPUT
	[ "${lines[1]}" = "$line" ]
	# the rule -Z wrote again carries no identity, the one that fits does
	[ "$(nft --debug=netlink list chain ip nsbox OUTPUT 2>&1 | grep -ac '\\x00n')" = 1 ]
	# made now: with its comment alone, listed, and deleted by its line
	run -0 "$NSBOX" iptables -I OUTPUT -m comment --comment "$c" -j ACCEPT
	[ "$(nft --debug=netlink list chain ip nsbox OUTPUT 2>&1 | grep -ac '\\x00n')" = 1 ]
	run -0 "$NSBOX" iptables -S OUTPUT
	[ "${lines[1]}" = "$line" ] && [ "${lines[2]}" = "$line" ]
	run -0 "$NSBOX" iptables -D OUTPUT -m comment --comment "$c" -j ACCEPT
	run -0 "$NSBOX" iptables -D OUTPUT -m comment --comment "$c" -j ACCEPT
	[ "$(nft -j list chain ip nsbox OUTPUT | jq -c '[.nftables[] | select(.rule) | .rule.comment]')" = \
	  '["-A OUTPUT -p icmp -j ACCEPT"]' ]
}

# a rule of table ip nsbox's CHAIN (a counter) with userdata: a comment
# TLV for COMMENT and an identity TLV (type 0x6e) of payload HEX, sent as
# its own nf_tables batch (nft cannot write another program's userdata)
rule_with_identity() {
	python3 - "$@" <<'PY'
import socket, struct, sys
chain, comment, ident = sys.argv[1], sys.argv[2].encode() + b"\0", bytes.fromhex(sys.argv[3])
ud = bytes([0, len(comment)]) + comment + bytes([0x6e, len(ident)]) + ident
def attr(t, p):
    a = struct.pack("=HH", 4 + len(p), t) + p
    return a + b"\0" * (-len(a) % 4)
def msg(t, flags, seq, body, fam):
    body = struct.pack("=BBH", fam, 0, socket.htons(10)) + body
    return struct.pack("=IHHII", 16 + len(body), t, flags, seq, 0) + body
expr = attr(0x8001, attr(1, b"counter\0"))
rule = attr(1, b"nsbox\0") + attr(2, chain.encode() + b"\0") + attr(0x8004, expr) + attr(7, ud)
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
s.bind((0, 0))
s.send(msg(0x10, 1, 1, b"", 0) + msg(0xa06, 0xc05, 2, rule, 2) + msg(0x11, 1, 3, b"", 0))
sys.exit(struct.unpack("=i", s.recv(65536)[16:20])[0] != 0)
PY
}

@test "natmasq: an identity that is not whole is no identity: the rule is read from its comment (no crash, no wild verdict)" {
	local fwd
	fwd=$(printf 'FORWARD\0' | od -An -tx1 | tr -d ' \n')
	"$NSBOX" iptables -A FORWARD -j ACCEPT
	# iptables' (maker 3) -m comment with no comment: target ACCEPT, filter,
	# the comment match loaded (G_COMMENT, 7), the chain
	rule_with_identity FORWARD '-A FORWARD -m comment --comment x -j ACCEPT' \
		"0103130101""1508$fwd""400104""420101""430107""4508$fwd"
	# a verdict past NFT_V_REJECT (99) for a rule whose comment says DROP
	rule_with_identity FORWARD '-A FORWARD -s 192.0.2.1/32 -j DROP' \
		"0103130163""1508$fwd""400105""420101""4508$fwd"
	run -0 "$NSBOX" iptables -L FORWARD -n
	[ "${lines[3]}" = "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            /* x */" ]
	[ "${lines[4]}" = "DROP       0    --  192.0.2.1            0.0.0.0/0           " ]
	# -Z writes each again as its comment says (drop, and the match on the source)
	run -0 "$NSBOX" iptables -Z FORWARD
	[ "$(nft -j list chain ip nsbox FORWARD | jq -c '[.nftables[] | select(.rule) | [.rule.comment, (.rule.expr | map(keys[0]))]]')" = \
	  '[["-A FORWARD -j ACCEPT",["counter","accept"]],["-A FORWARD -m comment --comment x -j ACCEPT",["counter","accept"]],["-A FORWARD -s 192.0.2.1/32 -j DROP",["match","counter","drop"]]]' ]
}

@test "natmasq: any source, positive interface, ragged prefix" {
	natmasq 0.0.0.0/0
	natmasq 10.20.0.0/14 -o uplink
	natmasq 192.168.7.9
	run -0 nft_rules
	assert_line --index 0 '["postrouting","natmasq 0.0.0.0/0",[{"counter":{"packets":0,"bytes":0}},{"masquerade":null}]]'
	assert_line --index 1 '["postrouting","natmasq 10.20.0.0/14 -o uplink",[{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":{"prefix":{"addr":"10.20.0.0","len":14}}}},{"match":{"op":"==","left":{"meta":{"key":"oifname"}},"right":"uplink"}},{"counter":{"packets":0,"bytes":0}},{"masquerade":null}]]'
	assert_line --index 2 '["postrouting","natmasq 192.168.7.9/32",[{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":"192.168.7.9"}},{"counter":{"packets":0,"bytes":0}},{"masquerade":null}]]'
}

@test "natmasq: turns on IPv4 forwarding in the target namespace only" {
	echo 0 >/proc/sys/net/ipv4/ip_forward
	ip netns add router
	[ "$(ip netns exec router cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
	natmasq -n router 10.10.0.0/16
	[ "$(ip netns exec router cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
	natmasq 10.10.0.0/16
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
}

@test "natmasq: -n NETNS puts the rule in that namespace's ruleset" {
	ip netns add router
	natmasq -n router 10.10.0.0/16 -o '!planet-br'
	nothing nft_rules
	[ "$(ip netns exec router nft -j list ruleset | jq -c '.nftables[] | select(.rule) | .rule.expr')" = "$MASQ" ]
	run -0 natmasq -n /run/netns/router
	assert_output "10.10.0.0/16 -o !planet-br"
}

@test "natmasq: existing rule exits 1; -e never duplicates" {
	natmasq 10.10.0.0/16 -o '!planet-br'
	fails 1 "natmasq: 10.10.0.0/16: File exists" natmasq 10.10.0.0/16 -o '!planet-br'
	# the same rule, however it is spelled
	run natmasq -e 10.10.0.99/16 -o '!planet-br'
	assert_success
	[ "$(nft_rules | wc -l)" = 1 ]
	natmasq -e 10.10.0.0/16
	[ "$(nft_rules | wc -l)" = 2 ]
}

@test "natmasq: -d removes exactly the rule described; -e -d on a missing one succeeds" {
	natmasq 10.10.0.0/16 -o '!planet-br'
	natmasq 10.10.0.0/16 -o planet-br
	natmasq 10.10.0.0/16
	natmasq -d 10.10.0.0/16 -o planet-br
	run nft_rules
	assert_line --index 0 "[\"postrouting\",\"natmasq 10.10.0.0/16 -o !planet-br\",$MASQ]"
	assert_line --index 1 '["postrouting","natmasq 10.10.0.0/16",[{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":{"prefix":{"addr":"10.10.0.0","len":16}}}},{"counter":{"packets":0,"bytes":0}},{"masquerade":null}]]'
	[ "${#lines[@]}" = 2 ]
	fails 1 "natmasq: 10.10.0.0/16: No such file or directory" natmasq -d 10.10.0.0/16 -o planet-br
	run natmasq -e -d 10.10.0.0/16 -o planet-br
	assert_success
}

@test "natmasq: iptables-nft and iptables-legacy rules are left alone" {
	iptables-nft -t nat -A POSTROUTING -s 10.30.0.0/16 -j MASQUERADE
	iptables-legacy -t nat -A POSTROUTING -s 10.40.0.0/16 -j MASQUERADE
	before_nft=$(iptables-nft -t nat -S)
	before_legacy=$(iptables-legacy -t nat -S)
	before_tables=$(nft -j list ruleset | jq -c '[.nftables[] | select(.rule.table == "nat")]')
	natmasq 10.10.0.0/16 -o '!planet-br'
	natmasq 10.30.0.0/16
	natmasq -d 10.30.0.0/16
	natmasq -d 10.10.0.0/16 -o '!planet-br'
	[ "$(iptables-nft -t nat -S)" = "$before_nft" ]
	[ "$(iptables-legacy -t nat -S)" = "$before_legacy" ]
	[ "$(nft -j list ruleset | jq -c '[.nftables[] | select(.rule.table == "nat")]')" = "$before_tables" ]
	iptables-nft -t nat -S | grep -F -- '-A POSTROUTING -s 10.30.0.0/16 -j MASQUERADE'
}

@test "natmasq: the list and -j agree with nft -j" {
	natmasq 10.10.0.0/16 -o '!planet-br'
	natmasq 10.20.0.0/14 -o uplink
	natmasq 172.16.0.0/12
	run natmasq
	assert_success
	assert_output "$(printf '%s\n' '10.10.0.0/16 -o !planet-br' '10.20.0.0/14 -o uplink' '172.16.0.0/12')"
	mine=$(natmasq -j | jq -c '[.[] | [.src, (.oifname // ""), (.oifname_negated // false), .handle]]')
	theirs=$(nft -j list chain ip nsbox postrouting | jq -c '[.nftables[] | select(.rule) | .rule |
		[(.expr[0].match.right | if type == "object" then "\(.prefix.addr)/\(.prefix.len)" else "\(.)/32" end),
		 (.expr[1].match.right // ""), (.expr[1].match.op == "!="), .handle]]')
	[ "$mine" = "$theirs" ]
}

@test "natmasq: empty list when nsbox has no table" {
	run natmasq
	assert_success
	assert_output ""
	run -0 natmasq -j
	assert_output "[]"
}

@test "natmasq: bad input exits 2 and sends nothing" {
	echo 0 >/proc/sys/net/ipv4/ip_forward
	fails 2 "natmasq: 10.10.0/16: invalid prefix" natmasq 10.10.0/16
	fails 2 "natmasq: 10.10.0.0/33: invalid prefix" natmasq 10.10.0.0/33
	fails 2 "natmasq: fd00::/129: invalid prefix" natmasq fd00::/129
	fails 2 "natmasq: fd00:::/64: invalid prefix" natmasq fd00:::/64
	fails 2 "natmasq: -v: only lists" natmasq -v 10.10.0.0/16
	fails 2 "natmasq: -j: only lists" natmasq -j 10.10.0.0/16
	fails 2 "natmasq: !abcdefghijklmnop: invalid interface name" natmasq 10.10.0.0/16 -o '!abcdefghijklmnop'
	fails 2 "natmasq: SRC_CIDR: missing operand" natmasq -o eth0
	fails 2 "natmasq: SRC_CIDR: missing operand" natmasq -d
	fails 2 "natmasq: 10.20.0.0/16: unexpected argument" natmasq 10.10.0.0/16 10.20.0.0/16
	fails 2 "natmasq: -o: option needs an argument" natmasq 10.10.0.0/16 -o
	fails 2 "natmasq: --out: unknown option" natmasq --out eth0 10.10.0.0/16
	nothing nft list ruleset
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
}

@test "natmasq: missing namespace exits 1" {
	fails 1 "natmasq: ghost: No such file or directory" natmasq -n ghost 10.10.0.0/16
}

@test "natmasq: a kernel refusal exits 1 with the kernel's text and changes nothing" {
	# somebody else's chain by our name, of another type and hook
	nft add table ip nsbox
	nft add chain ip nsbox postrouting '{ type filter hook input priority 0; }'
	before=$(nft -j list ruleset)
	echo 0 >/proc/sys/net/ipv4/ip_forward
	fails 1 "natmasq: 10.10.0.0/16: Operation not supported" natmasq 10.10.0.0/16
	[ "$(nft -j list ruleset)" = "$before" ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
}

@test "natmasq: works with no nft or iptables on PATH" {
	seed_topo
	PATH="$BIN" natmasq 10.10.0.0/16 -o '!planet-br'
	[ -z "$(PATH="$BIN" command -v nft iptables iptables-nft iptables-legacy)" ]
	ip netns exec earth ping -c1 -W1 192.0.2.53
}

@test "natmasq: batch lines share one process" {
	printf 'natmasq 10.%d.0.0/16\n' $(seq 1 50) >"$BATS_TEST_TMPDIR/b"
	nsbox -b "$BATS_TEST_TMPDIR/b"
	[ "$(nft_rules | wc -l)" = 50 ]
	fails_batch 1 "2: natmasq: 10.1.0.0/16: File exists" "natmasq 10.51.0.0/16" "natmasq 10.1.0.0/16" "natmasq 10.52.0.0/16"
	[ "$(nft_rules | wc -l)" = 51 ]
}

@test "natmasq: --help prints the synopsis" {
	run natmasq --help
	assert_success
	assert_line --index 0 "natmasq [-n NETNS] [-j] [-v]                     list masquerade rules"
	assert_line --index 1 "natmasq [-n NETNS] [-e] [-d] SRC_CIDR [-o [!]IFACE]"
}
