#!/usr/bin/env bats
# nsbox as ip, differentially: each script runs with the real iproute2 and
# with only nsbox on PATH (tests/compat.bash), and the state both leave,
# read with the real ip -j, must be the same.

load helper
load compat

setup_world() {
	compat_dir
}

@test "compat ip: seed 1, host and a namespace, /24s and scope-link routes" {
	compat_same "$(compat_script <<'S'
set -e
ip netns add ns1
ip link add veth-host type veth peer name veth-ns
ip link set veth-ns netns ns1
ip addr add 10.0.1.1/24 dev veth-host
ip netns exec ns1 ip addr add 10.0.2.1/24 dev veth-ns
ip link set veth-host up
ip netns exec ns1 ip link set veth-ns up
ip route add 10.0.2.0/24 dev veth-host scope link
ip netns exec ns1 ip route add 10.0.1.0/24 dev veth-ns scope link
ping -c1 -W2 10.0.2.1
S
)"
}

@test "compat ip: seed 2, two namespaces, the pair renamed eth0, default routes" {
	compat_same "$(compat_script <<'S'
set -e
ip netns add n1
ip netns add n2
ip link add tmp1 type veth peer name tmp2
ip link set tmp1 netns n1
ip link set tmp2 netns n2
ip -n n1 link set tmp1 name eth0
ip -n n2 link set dev tmp2 name eth0
ip netns exec n1 ip addr add 10.0.0.1/24 dev eth0
ip netns exec n2 ip addr add 10.0.0.2/24 dev eth0
ip -n n1 link set eth0 up
ip -n n1 link set lo up
ip -n n2 link set eth0 up
ip -n n2 link set lo up
ip -n n1 addr add 10.8.8.8/32 dev lo
ip -n n2 addr add 10.9.9.9/32 dev lo
ip -n n1 route add default via 10.0.0.2
ip -n n2 route add default via 10.0.0.1 dev eth0
ip netns exec n1 ping -c1 -W2 -I 10.8.8.8 10.9.9.9
S
)"
}

@test "compat ip: seed 004 verbatim (ip, sysctl and iptables lines), with traffic" {
	VERIFY=1 compat_same "$BATS_TEST_DIRNAME/../bench/ref/seed004_ip.sh"
	grep -q '^iptables' "$BATS_TEST_DIRNAME/../bench/ref/seed004_ip.sh"
}

@test "compat ip: link forms (several changes in one set, mtu before type, peer netns, del)" {
	compat_same "$(compat_script <<'S'
set -e
ip netns add a
ip link add name v0 mtu 1400 type veth peer name v1 netns a
ip link add x0 type veth peer x1
ip link add br0 type bridge
ip link add br1 type bridge
ip link set dev x0 master br0 mtu 1300 address 02:00:00:00:00:01 up
ip link set x1 name y1 mtu 1280 up
ip link set x0 nomaster
ip link set x0 master br1
ip link set br0 down
ip link set br1 up
ip link delete dev br0
ip link add gone type veth peer name gone2
ip link del gone
ip -n a link set v1 up
ip netns exec a ip link set dev lo up
ip l s v0 up
S
)"
}

@test "compat ip: address forms (brd +, scope, label, secondary, del, flush, -4 flush)" {
	compat_same "$(compat_script <<'S'
set -e
ip link add d0 type veth peer name d1
ip addr add 10.1.0.1/24 brd + dev d0
ip addr add 10.1.0.2/24 dev d0 label d0:two
ip address add 10.2.0.1/16 broadcast 10.2.255.254 dev d0 scope link
ip a add 2001:db8::1/64 dev d0
ip addr add 192.168.5.5 dev d1
ip addr add 127.0.0.9/8 dev d1
ip addr del 10.2.0.1/16 dev d0
ip addr add 10.3.0.1/24 dev d1
ip addr add 10.3.0.2/24 dev d1
ip addr flush dev d1
ip link set d0 up
S
)"
}

@test "compat ip: route forms (replace, change, append, metric, src, proto, table main, del, flush dev)" {
	compat_same "$(compat_script <<'S'
set -e
ip link add r0 type veth peer name r1
ip link set r0 up
ip link set r1 up
ip addr add 10.5.0.1/24 dev r0
ip addr add 10.6.0.1/24 dev r1
ip route add 10.7.0.0/16 via 10.5.0.2 metric 10
ip route add 10.8.0.0/16 dev r0 src 10.5.0.1 proto static table main
ip route replace 10.7.0.0/16 via 10.5.0.3 metric 10
ip route change 10.8.0.0/16 dev r0 proto static src 10.5.0.1 scope link
ip route append 10.9.0.0/16 via 10.6.0.2
ip r add 10.10.0.0/16 dev r1 scope link metric 7
ip ro add default via 10.5.0.254
ip route del 10.10.0.0/16 dev r1 metric 7
ip route add 10.11.0.0/16 dev r1
ip route add 10.12.0.0/16 via 10.6.0.9
ip route flush dev r1
ip -6 route add 2001:db8:5::/48 dev r0 metric 100
S
)"
}

@test "compat ip: route proto and scope by every name in iproute2's rt_protos and rt_scopes, shown as ip shows them" {
	compat_same "$(compat_script <<'S'
set -e
ip link add r0 type veth peer name r1
ip link set r0 up
ip addr add 10.5.0.1/24 dev r0
n=0
for p in unspec redirect kernel boot static gated ra mrt zebra bird dnrouted xorp ntk dhcp \
	keepalived babel openr bgp isis ospf rip eigrp 17 250; do
	n=$((n + 1))
	ip route add 10.77.$n.0/24 dev r0 proto $p
done
for s in global site link host 7; do
	n=$((n + 1))
	ip route add 10.77.$n.0/24 dev r0 scope $s
done
ip route show
ip -j route show
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	grep -q 'proto bird' "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "compat ip: netns forms and exec nesting (ip netns exec NS ip ..., -n, -batch)" {
	cat >"$BATS_TEST_TMPDIR/batch" <<'B'
# a comment
link add b0 type veth peer name b1
addr add 10.40.0.1/24 dev b0
link set b0 up
B
	compat_same "$(compat_script <<S
set -e
ip netns add red
ip netns add blue
ip netns del blue
ip netns add green
ip netns list | sort
ip netns exec red ip link add e0 type veth peer name e1
ip netns exec red ip netns exec green ip link add g0 type bridge
ip netns exec red sh -c 'ip link set e1 netns green'
ip -n red addr add 10.30.0.1/24 dev e0
ip -netns green link set e1 up
ip -batch $BATS_TEST_TMPDIR/batch
ip netns exec red ip -batch $BATS_TEST_TMPDIR/batch
ip netns set green 7
ip netns pids red
ip netns identify \$\$
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
}

# one state built with the real ip, shown by both
show_world() {
	ip netns add a
	ip link add v0 type veth peer name v1 netns a
	ip link add br0 type bridge
	ip link set v0 master br0
	ip link add w0 mtu 1400 type veth peer name w1
	ip addr add 10.0.0.1/24 brd + dev br0
	ip addr add 10.0.0.5/24 dev br0 label br0:x
	ip addr add 2001:db8::1/64 dev w0 nodad
	ip link set br0 up
	ip link set v0 up
	ip link set w0 up
	ip -n a addr add 10.0.0.2/24 dev v1
	ip route add 10.9.0.0/16 via 10.0.0.2 metric 5
	ip route add 10.8.0.0/16 dev br0 proto static scope link
	ip -6 route add 2001:db8:9::/48 dev w0 metric 9
}

@test "compat ip: show text, -br and -j the same as iproute2's line by line" {
	show_world
	local c
	while read -r c; do
		diff -u <(/usr/sbin/ip $c | compat_mask) <("$CDIR/ip" $c | compat_mask) ||
			{ echo "differs: ip $c"; return 1; }
	done <<'L'
link
l show
link show dev v0
addr
a
address show br0
-4 addr
-6 addr
route
ro show
-6 route
route list table main
-br link
-br addr
-j link
-j addr
-j route
-j -6 route
-br -j link
-br -j addr
-n a link
-n a addr
-netns a -json addr
netns list
netns
netns list-id
-j netns list
route get 10.0.0.7
-j route get 10.9.1.1
link show up
addr show up
-j link show up
-br addr show up
route show default
route show 10.9.0.0/16
route list table main to 10.8.0.0/16
-j route show table 254 10.8.0.0/16
-6 route show table main 2001:db8:9::/48
route show 10.9.0.0
L
}

# compat_same, and what the script printed the same as with ip (masked)
same_out() {
	compat_same "$@"
	compat_mask <"$BATS_TEST_TMPDIR/real.out" >"$BATS_TEST_TMPDIR/r"
	compat_mask <"$BATS_TEST_TMPDIR/nsbox.out" | diff "$BATS_TEST_TMPDIR/r" -
	[ -s "$BATS_TEST_TMPDIR/r" ]
}

@test "compat ip: link set promisc, arp, multicast, allmulticast, txqueuelen|txqlen|qlen; link and addr show up" {
	same_out "$(compat_script <<'S'
set -e
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add v0 type veth peer name v1
ip link add br0 type bridge
ip link set v0 promisc on
ip link set dev v0 arp off multicast off allmulticast on txqueuelen 500
ip link set v1 txqlen 0
ip link set br0 qlen 77 arp off promisc on
ip link set br0 arp on promisc off
ip link show v0
ip link show br0
ip -j link show v1
ip link show up
ip link set v0 up
ip link set v1 up multicast off allmulticast on
ip addr add 10.3.0.1/24 dev v1
i=0; until ip link show v0 | grep -q 'state UP' && ip link show v1 | grep -q 'state UP'; do i=$((i+1)); [ $i -lt 50 ]; sleep 0.1; done
ip link show up
ip addr show up
ip -j link show up
ip -br link show up
ip -4 addr show up
ip l s v0 multicast on allmulticast off promisc off
S
)"
}

@test "compat ip: addr add nodad, noprefixroute, home, optimistic" {
	same_out "$(compat_script <<'S'
set -e
ip link add d0 type veth peer name d1
ip addr add 2001:db8::1/64 dev d0 nodad
ip addr add 2001:db8:1::1/64 dev d0 noprefixroute
ip addr add 2001:db8:3::1/64 home nodad dev d0
ip addr add 2001:db8:4::1/64 optimistic dev d0
ip addr add 10.1.0.1/24 dev d0 noprefixroute
ip addr show dev d0
ip -j addr show dev d0
ip -6 route show table main
ip route
S
)"
	grep -q '"nodad":true' "$BATS_TEST_TMPDIR/nsbox"
	grep -q '"noprefixroute":true' "$BATS_TEST_TMPDIR/nsbox"
	grep -q '"home":true' "$BATS_TEST_TMPDIR/nsbox"
}

@test "compat ip: route types, onlink, tables; show and flush by table and prefix" {
	same_out "$(compat_script <<'S'
set -e
ip link add r0 type veth peer name r1
ip link set r0 up
ip addr add 10.5.0.1/24 dev r0
ip route add 10.7.0.0/16 via 10.5.0.2
ip route add 10.7.1.0/24 via 10.5.0.2
ip route add default via 10.5.0.2
ip route add blackhole 10.13.0.0/16
ip route add unreachable 10.14.0.0/16
ip route add to prohibit 10.15.0.0/16 metric 5
ip route add throw 10.16.0.0/16 table 7
ip route add 10.17.0.0/16 table 100 via 10.5.0.3
ip route add blackhole 10.18.0.0/16 table 1000
ip route replace unreachable 10.18.0.0/16 table 1000
ip route add 10.19.0.0/16 dev r0 table 1000
ip route add 10.12.0.0/16 via 10.9.0.2 dev r0 onlink
ip -6 route add blackhole 2001:db8:1::/48
ip -6 route add prohibit 2001:db8:2::/48 table 300
ip route add 10.20.0.0/16 dev r0 table local
ip route add 10.21.0.0/16 dev r0 table default
ip route
ip -j route
ip route show table 100
ip -j route show table 1000
ip route show table 7
ip -6 route show table 300
ip route list table default
ip route show table local
ip route show default
ip route show 10.7.0.0/16
ip route show to 10.7.1.0/24
ip route show 10.7.0.0
ip route show table 100 10.17.0.0/16
ip -6 route show 2001:db8:1::/48
ip route show 2001:db8:1::/48
ip route del 10.13.0.0/16
ip route del unreachable 10.14.0.0/16
ip route del 10.17.0.0/16 table 100
ip route del 10.20.0.0/16 dev r0 table local
ip route flush table 1000 dev r0
ip route show table 1000
ip route flush 10.7.0.0/16
ip route
S
)"
	grep -q '"type":"prohibit"' "$BATS_TEST_TMPDIR/nsbox"
	grep -q '"table":"1000"' "$BATS_TEST_TMPDIR/nsbox"
	grep -q '"onlink"' "$BATS_TEST_TMPDIR/nsbox"
}

@test "compat ip: forms outside the subset exit 2 with one line and change nothing" {
	ip link add k0 type veth peer name k1
	local before after
	before=$(compat_state)
	while IFS='|' read -r args msg; do
		run --separate-stderr "$CDIR/ip" $args
		[ "$status" = 2 ] || { echo "ip $args: status $status"; return 1; }
		[ "$(printf '%s\n' "$stderr" | wc -l)" = 1 ] || { echo "ip $args: $stderr"; return 1; }
		[ "$stderr" = "ip: $msg" ] || { echo "ip $args: $stderr"; return 1; }
	done <<'L'
link add vx type vxlan id 5|link add ... type vxlan: not supported by nsbox
link add b2 type bridge stp_state 1|link add ... type bridge stp_state: not supported by nsbox
link set k0 up trailers off|link set ... trailers: not supported by nsbox
link set k0 alias foo|link set ... alias: not supported by nsbox
addr add 10.0.0.1/24 dev k0 mngtmpaddr|address add ... mngtmpaddr: not supported by nsbox
rule add from 10.0.0.0/8 table 5|rule: not supported by nsbox
neigh|neighbor: not supported by nsbox
addr add 10.0.0.1/24 dev k0 valid_lft 30|address add ... valid_lft: not supported by nsbox
route add 10.0.0.0/8 dev k0 table all|route add ... table all: not supported by nsbox
route add local 10.0.0.0/8 dev k0|route add ... local: not supported by nsbox
route show root 10.0.0.0/8|route show ... root: not supported by nsbox
route show dev k0|route show ... dev: not supported by nsbox
route flush 10.0.0.0/8 proto static|route flush ... proto: not supported by nsbox
route save|route save: not supported by nsbox
netns monitor|netns monitor: not supported by nsbox
-o link|option -o: not supported by nsbox
-s addr|address show ... -s: not supported by nsbox
-s -s link|link show ... -s: not supported by nsbox
frob|frob: unknown object
L
	after=$(compat_state)
	[ "$before" = "$after" ]
}

# same_err: as same_out, as many lines on stderr as ip printed, and its
# "RTNETLINK answers: ..." and "Error: ..." lines word for word (what
# compat_same checks whole unless COMPAT_STDERR=any)
same_err() {
	local d="$BATS_TEST_TMPDIR" re='^(RTNETLINK answers|Error): '
	same_out "$@"
	[ "$(wc -l <"$d/real.err")" = "$(wc -l <"$d/nsbox.err")" ] ||
		{ cat "$d/real.err" "$d/nsbox.err"; return 1; }
	diff <(grep -E "$re" "$d/real.err") <(grep -E "$re" "$d/nsbox.err")
}

@test "compat ip: kernel refusals exit 2 (RTNETLINK answers), names not found 1, as with ip" {
	# a name not found by link set, route add or link show is nsbox's own
	# line (ip: nope: No such device), not iproute2's "Cannot find device"
	# (link delete and addr add say that one): same_err compares the rest
	COMPAT_STDERR=any same_err "$(compat_script <<'S'
ip link add k0 type veth peer name k1; echo "rc=$?"
ip link add k0 type veth peer name k2; echo "rc=$?"
ip link set nope up; echo "rc=$?"
ip link set k0 mtu 1400; echo "rc=$?"
ip link del nope; echo "rc=$?"
ip addr add 10.1.0.1/24 dev k0; echo "rc=$?"
ip addr add 10.1.0.1/24 dev k0; echo "rc=$?"
ip addr del 10.7.0.1/24 dev k0; echo "rc=$?"
ip addr add 10.2.0.1/24 dev nope; echo "rc=$?"
ip route add 10.0.0.0/8 via 10.99.0.1; echo "rc=$?"
ip link set k0 up; ip link set k1 up
ip route add 10.9.0.0/16 dev k0; echo "rc=$?"
ip route add 10.9.0.0/16 dev k0; echo "rc=$?"
ip route del 10.8.0.0/16 dev k0; echo "rc=$?"
ip route add 10.6.0.0/16 dev nope; echo "rc=$?"
ip link show k2; echo "rc=$?"
S
)"
	grep -qx 'rc=2' "$BATS_TEST_TMPDIR/nsbox.out"
	grep -qx 'rc=1' "$BATS_TEST_TMPDIR/nsbox.out"
	grep -qx 'RTNETLINK answers: File exists' "$BATS_TEST_TMPDIR/nsbox.err"
	grep -qx 'Error: ipv4: Address already assigned.' "$BATS_TEST_TMPDIR/nsbox.err"
}

@test "compat ip: ip link set with thirteen words and more in one request (once a crash)" {
	same_out "$(compat_script <<'S'
set -e
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add v0 type veth peer name v1
ip link add br0 type bridge
ip link set dev v0 up mtu 1400 address 02:00:00:00:00:01 master br0 txqueuelen 500 promisc on arp off multicast on
ip link set v1 down mtu 1300 address 02:00:00:00:00:02 txqueuelen 300 promisc on arp off multicast off allmulticast on name w1 up
ip link set dev w1 mtu 1280 txqlen 20 promisc off arp on multicast on allmulticast off down up down up down up down up down up
ip link show v0
ip link show w1
S
)"
	grep -q '"ifname":"w1"' "$BATS_TEST_TMPDIR/nsbox"
	grep -q '"master":"br0"' "$BATS_TEST_TMPDIR/nsbox"
}

@test "compat ip: a keyword given twice exits as ip does (255 where ip refuses it, the last where it takes it), nothing changed" {
	same_err "$(compat_script <<'S'
ip link add v0 type veth peer name v1
ip link set dev v0 mtu 1400 mtu 1300; echo "rc=$?"
ip link set dev v0 up txqlen 9 txqlen 10; echo "rc=$?"
ip link set dev v0 txqueuelen 9 qlen 10; echo "rc=$?"
ip link set dev v0 address 02:00:00:00:00:01 address 02:00:00:00:00:02; echo "rc=$?"
ip link set dev v0 promisc on promisc off; echo "rc=$?"
ip link set dev v0 name a name b; echo "rc=$?"
ip link set dev v0 master v1 master v1; echo "rc=$?"
ip link set dev v0 arp on arp off; echo "rc=$?"
ip addr add 10.1.3.5/24 dev v0 broadcast 10.1.3.255 broadcast 10.1.3.254; echo "rc=$?"
ip addr add 10.1.3.6/24 dev v0 brd + brd -; echo "rc=$?"
ip addr add 10.1.3.9/24 local 10.1.3.10/24 dev v0; echo "rc=$?"
ip addr add local 10.1.3.9/24 local 10.1.3.10/24 dev v0; echo "rc=$?"
ip addr add 10.1.3.9/24 10.1.3.10/24 dev v0; echo "rc=$?"
ip link add v0 type veth peer name v1; echo "rc=$?"
S
)"
	grep -qx 'rc=255' "$BATS_TEST_TMPDIR/nsbox.out"
	grep -qx 'Error: duplicate "broadcast": "10.1.3.254" is the second value.' "$BATS_TEST_TMPDIR/nsbox.err"
	diff "$BATS_TEST_TMPDIR/real.err" "$BATS_TEST_TMPDIR/nsbox.err"
}

@test "compat ip: addr add broadcast on /31 and /32 kept, brd + left out there; a label over 15 bytes refused" {
	same_err "$(compat_script <<'S'
ip link add v0 type veth peer name v1
ip addr add 10.1.2.3/32 dev v0 broadcast 10.1.2.255; echo "rc=$?"
ip addr add 10.1.2.4/32 dev v0 brd +; echo "rc=$?"
ip addr add 10.1.2.5/31 dev v0 broadcast 10.1.2.255; echo "rc=$?"
ip addr add 10.1.2.7/31 dev v0 brd +; echo "rc=$?"
ip addr add 10.1.4.1/24 dev v0 brd 10.1.4.200; echo "rc=$?"
ip addr add 10.1.1.2/24 dev v0 label v0:abcdefghijklm; echo "rc=$?"
ip addr add 10.1.1.3/24 dev v0 label v0:abcdefghijkl; echo "rc=$?"
ip addr add 10.1.1.4/24 dev v0 label v0:abcdefghijklmnopqrstuvwxyz0123456789; echo "rc=$?"
ip -4 addr show dev v0
S
)"
	grep -q '"local":"10.1.2.3","prefixlen":32,"broadcast":"10.1.2.255"' "$BATS_TEST_TMPDIR/nsbox"
	grep -q '"label":"v0:abcdefghijkl"' "$BATS_TEST_TMPDIR/nsbox"
	! grep -q 'abcdefghijklm' "$BATS_TEST_TMPDIR/nsbox"
}

@test "compat ip: -all netns delete and exec, netns list in directory order, link delete DEV type TYPE" {
	same_out "$(compat_script <<'S'
ip netns add b; ip netns add a; ip netns add c; ip netns add a0
ip netns list
ip -all netns exec sh -c 'echo in; exit 3'; echo "rc=$?"
ip --all netns exec ip link add x0 type bridge; echo "rc=$?"
ip netns del a0
ip -j netns list
ip link add br0 type bridge
ip link add v0 type veth peer name v1
ip link delete br0 type bridge; echo "rc=$?"
ip link del dev v0 type veth; echo "rc=$?"
ip link add br1 type bridge
ip link delete br1 type veth; echo "rc=$?"
ip link delete br1 type bridge; echo "rc=$?"
ip -all netns delete; echo "rc=$?"
ip netns list
ip netns add z
ip netns add y
ip -a netns del; echo "rc=$?"
ip netns add q
S
)"
	grep -qx 'netns: c' "$BATS_TEST_TMPDIR/nsbox.out"
	[ "$(grep -c 'netns' "$BATS_TEST_TMPDIR/nsbox")" = 2 ]
}

@test "compat ip: /run/netns a symbolic link to a directory (add, exec, list, delete)" {
	same_out "$(compat_script <<'S'
set -e
/bin/mkdir -p /run/nsdir
/bin/ln -s /run/nsdir /run/netns
ip netns add s1
ip netns add s2
ip netns exec s1 ip link add e0 type bridge
ip -n s2 link add e1 type bridge
ip netns list
ip netns del s2
ip netns list
S
)"
	grep -q 'netns s1' "$BATS_TEST_TMPDIR/nsbox"
}

@test "compat ip: entries under /run/netns that are symbolic links are still refused" {
	mkdir -p /run/netns
	"$CDIR/ip" netns add real
	ln -s /run/netns/real /run/netns/link
	run "$CDIR/ip" netns exec link true
	[ "$status" = 1 ]
	[ "$("$CDIR/ip" netns list)" = real ]
}

@test "compat ip: the NAME of netns exec, pids, set, identify, add, delete is a name in /run/netns, never a path, as ip takes it" {
	local w="$BATS_TEST_TMPDIR/w" v="$BATS_TEST_TMPDIR/v" n rel
	ip netns add a
	mkdir -p "$w" "$v/ns"
	touch "$v/ns/net"
	mount --bind /run/netns/a "$v/ns/net"
	cd "$w"
	rel=$(realpath -s --relative-to=. /proc/self/ns/net)
	for n in /proc/self/ns/net "$rel" ../x .. a/; do
		# ip refuses each so (Invalid netns name); nsbox ran CMD in that
		# namespace, named it, gave it an nsid
		run ip netns exec "$n" touch "$w/ran"
		[ "$status" = 255 ] && [ "$output" = "Invalid netns name \"$n\"" ]
		fails_quiet 2 "ip: $n: invalid namespace name" "$CDIR/ip" netns exec "$n" touch "$w/ran"
		[ ! -e "$w/ran" ]
		fails_quiet 2 "ip: $n: invalid namespace name" "$CDIR/ip" netns pids "$n"
		fails_quiet 2 "ip: $n: invalid namespace name" "$CDIR/ip" netns set "$n" 5
		fails_quiet 2 "ip: $n: invalid namespace name" "$CDIR/ip" -all netns add "$n"
		fails_quiet 2 "ip: $n: invalid namespace name" "$CDIR/ip" netns delete "$n"
	done
	nothing ip netns list-id
	# identify PID: /proc/PID/ns/net, never a file elsewhere
	fails_quiet 2 "ip: ..$v: invalid namespace name" "$CDIR/ip" netns identify "..$v"
	# ip -all netns add ../x makes /run/x; nsbox refuses (above)
	[ ! -e /run/x ] && [ "$(ls /run/netns)" = a ]
	# -all netns exec takes CMD there, a path too
	run -0 "$CDIR/ip" -all netns exec /bin/true
	[ "$output" = $'\nnetns: a' ]
}

@test "compat ip: --install --compat never replaces an existing ip" {
	local d="$BATS_TEST_TMPDIR/sbin"
	mkdir -p "$d"
	echo '#!/bin/sh' >"$d/ip"
	run "$NSBOX" --install --compat "$d"
	[ "$status" = 1 ]
	[ "$(cat "$d/ip")" = '#!/bin/sh' ]
	[ -e "$d/sysctl" ]
	rm -rf "$d"; mkdir -p "$d"
	"$NSBOX" --install "$d"
	[ ! -e "$d/ip" ] && [ ! -e "$d/sysctl" ] && [ -e "$d/iplink" ]
}

@test "compat ip: -s link [show [dev] DEV] and -s -j, counters and text as ip's" {
	compat_same "$(compat_script <<'S'
set -e
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns add a
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add v0 type veth peer name v1 netns a
ip addr add 10.9.0.1/24 dev v0
ip -n a addr add 10.9.0.2/24 dev v1
ip link set v0 up
ip -n a link set v1 up
i=0; until ip link show v0 | grep -q 'state UP' && ip -n a link show v1 | grep -q 'state UP'; do i=$((i+1)); [ $i -lt 50 ]; sleep 0.1; done
ping -c3 -i0.2 -W1 10.9.0.2 >/dev/null
ip -s link show dev v0
ip -n a -s link
ip -s l
ip -s -j link show v0 | jq -c '.[0] | {ifname, stats64}'
ip -j -s link | jq -c '[.[] | {ifname, stats64}]'
S
)"
	compat_mask <"$BATS_TEST_TMPDIR/real.out" >"$BATS_TEST_TMPDIR/r"
	compat_mask <"$BATS_TEST_TMPDIR/nsbox.out" | diff "$BATS_TEST_TMPDIR/r" -
	grep -q 'RX:  bytes packets' "$BATS_TEST_TMPDIR/nsbox.out"
	grep -q '"packets":4' "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "compat ip: the reference scripts verbatim (scale_ip.sh, scale_ipbatch.sh with N=4), iptables lines included" {
	local f
	for f in scale_ip.sh scale_ipbatch.sh; do
		N=4 compat_same "$BATS_TEST_DIRNAME/../bench/ref/$f"
		[ "$(cat "$BATS_TEST_TMPDIR/nsbox.rc")" = 0 ] || fail "$f: $(cat "$BATS_TEST_TMPDIR/nsbox.err")"
		grep -q '^iptables' "$BATS_TEST_DIRNAME/../bench/ref/$f"
	done
}
