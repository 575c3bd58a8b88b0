# Shared by natmasq.bats, natdnat.bats and nat6.bats: the seed topology
# (/work/shared/reference/seed004_ip.sh with VERIFY=1) built with ip, since
# the thing under test is NAT.  "The internet" is the namespace inet behind
# the uplink veth: 198.51.100.2 on wan0 and a far host 192.0.2.53 on its lo;
# it has no route back to 10.10.0.0/16.

seed_topo() {
	ip link add uplink type veth peer name wan0
	ip netns add inet
	ip link set wan0 netns inet
	ip addr add 198.51.100.1/24 dev uplink
	ip link set uplink up
	ip -n inet addr add 198.51.100.2/24 dev wan0
	ip -n inet link set wan0 up
	ip -n inet link set lo up
	ip -n inet addr add 192.0.2.53/32 dev lo
	ip route add default via 198.51.100.2
	ip link add planet-br type bridge
	ip addr add 10.10.0.1/16 dev planet-br
	ip link set planet-br up
	local p
	for p in earth:10 neptune:20; do
		local n=${p%:*} a=${p#*:}
		ip netns add "$n"
		ip link add "$n-veth" type veth peer name "$n-br-veth"
		ip link set "$n-veth" netns "$n"
		ip link set "$n-br-veth" master planet-br up
		ip -n "$n" addr add "10.10.0.$a/16" dev "$n-veth"
		ip -n "$n" link set "$n-veth" up
		ip -n "$n" link set lo up
		ip -n "$n" route add default via 10.10.0.1
	done
}

# The same, dual-stack (nat6.bats): fd00:10::/64 on the bridge (::1 the
# host, ::10 earth, ::20 neptune), 2001:db8:100::1 on uplink and ::2 on
# wan0, the far host 2001:db8:53::53 on inet's lo; inet has no route back
# to fd00:10::/64 either.  nodad: no address waits out duplicate detection.
seed_topo6() {
	seed_topo
	ip addr add 2001:db8:100::1/64 dev uplink nodad
	ip -n inet addr add 2001:db8:100::2/64 dev wan0 nodad
	ip -n inet addr add 2001:db8:53::53/128 dev lo
	ip route add default via 2001:db8:100::2
	ip addr add fd00:10::1/64 dev planet-br nodad
	local p
	for p in earth:10 neptune:20; do
		ip -n "${p%:*}" addr add "fd00:10::${p#*:}/64" dev "${p%:*}-veth" nodad
		ip -n "${p%:*}" route add default via fd00:10::1
	done
	# the link-local addresses' duplicate detection (about a second) must
	# be over: until then neighbour discovery across the bridge may fail
	local n
	for n in "" inet earth neptune; do
		until_ok eval 'o=$(ip ${n:+-n $n} -6 addr show tentative) && [ -z "$o" ]'
	done
}

SERVERS=
# serve NS|- tcp|udp|tcp6 PORT TEXT: a socat server in NS (-: the host)
# answering TEXT (tcp6: on IPv6)
serve() {
	local proto=${2^^} ns=(ip netns exec "$1") lo=127.0.0.1
	[ "$1" != - ] || ns=()
	[ "$2" != tcp6 ] || lo='[::1]'
	# -U: only the answer flows, so an early-exiting echo never meets EPIPE
	"${ns[@]}" socat -U "$proto-LISTEN:$3,fork,reuseaddr" SYSTEM:"echo $4" </dev/null >/dev/null 2>&1 3>&- &
	SERVERS="$SERVERS $!"
	if [ "$1" = - ]; then
		until_ok ask "$2" "$lo:$3" >/dev/null
	else
		until_ok ask "$1" "$2" "$lo:$3" >/dev/null
	fi
}

teardown() {
	[ -z "$SERVERS" ] || kill $SERVERS 2>/dev/null || true
}

# ask [NS] tcp|udp|tcp6 ADDR:PORT: what the server there answers (NS: the
# host); tcp6 takes [ADDR]:PORT
ask() {
	local ns=()
	if [ $# = 3 ]; then ns=(ip netns exec "$1"); shift; fi
	if [ "$1" != udp ]; then
		"${ns[@]}" socat -T2 - "${1^^}:$2,connect-timeout=2" </dev/null
	else
		local out
		out=$(echo hi | "${ns[@]}" socat -T1 - "UDP:$2") && [ -n "$out" ] && echo "$out"
	fi
}

# rules of table ip nsbox (and ip6 nsbox) as [chain, comment, expr] lines,
# from nft -j (each of these fails when nft does: see jqr)
nft_rules() {
	jqr '.nftables[] | select(.rule.table == "nsbox") | .rule | [.chain, .comment, .expr]' nft -j list ruleset
}

# nft_rules with the counters' bytes set to 0: the packets are what a test
# knows (one a connection), the bytes depend on the headers' options
nft_rules_pk() {
	jqr '(.[2][] | select(.counter) | .counter.bytes) = 0' nft_rules
}

# what the counters of our rules say, from nft -j: one [family, chain,
# comment, packets, bytes] line a rule
nft_counts() {
	jqr '.nftables[] | select(.rule.table == "nsbox") | .rule |
		[.family, .chain, .comment, (.expr[] | select(.counter) | .counter | .packets, .bytes)]' nft -j list ruleset
}
