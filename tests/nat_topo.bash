# Shared by natmasq.bats and natdnat.bats: the seed topology
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

SERVERS=
# serve NS|- tcp|udp PORT TEXT: a socat server in NS (-: the host) answering TEXT
serve() {
	local proto=${2^^} ns=(ip netns exec "$1")
	[ "$1" != - ] || ns=()
	# -U: only the answer flows, so an early-exiting echo never meets EPIPE
	"${ns[@]}" socat -U "$proto-LISTEN:$3,fork,reuseaddr" SYSTEM:"echo $4" </dev/null >/dev/null 2>&1 3>&- &
	SERVERS="$SERVERS $!"
	if [ "$1" = - ]; then
		until_ok ask "$2" "127.0.0.1:$3" >/dev/null
	else
		until_ok ask "$1" "$2" "127.0.0.1:$3" >/dev/null
	fi
}

teardown() {
	[ -z "$SERVERS" ] || kill $SERVERS 2>/dev/null || true
}

# ask [NS] tcp|udp ADDR:PORT: what the server there answers (NS: the host)
ask() {
	local ns=()
	if [ $# = 3 ]; then ns=(ip netns exec "$1"); shift; fi
	if [ "$1" = tcp ]; then
		"${ns[@]}" socat -T2 - "TCP:$2,connect-timeout=2" </dev/null
	else
		local out
		out=$(echo hi | "${ns[@]}" socat -T1 - "UDP:$2") && [ -n "$out" ] && echo "$out"
	fi
}

# rules of table ip nsbox as [chain, comment, expr] lines, from nft -j
nft_rules() {
	nft -j list ruleset | jq -c '.nftables[] | select(.rule.table == "nsbox") | .rule | [.chain, .comment, .expr]'
}
