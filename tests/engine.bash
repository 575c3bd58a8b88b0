# What a container engine's pods may not leave behind, for tests/cri.bats
# and tests/podman.bats.

# engine_leftovers STORE WORDS...: print, one a line, what is left: network
# namespaces, veths, addresses in host-local's STORE, libcni's cached
# results, nf_tables rules other than the reference plugins' shared chains
# (portmap's CNI-HOSTPORT-*, firewall's CNI-FORWARD and CNI-ADMIN) and the
# jumps to them, per-attachment chains (CNI-<hash>), nsbox's tables, a rule
# naming any of WORDS (sandbox ids, addresses), and the host's lo not up.
# No output: nothing is left.
# An oracle that fails (ip, nft, jq, find) is itself a line: "failed: ...".
engine_leftovers() {
	local store=$1 w rs
	local -
	set -o pipefail
	shift
	[ ! -e /run/netns ] || ls /run/netns | sed 's/^/netns: /' || echo "failed: ls /run/netns"
	ip -d -j link | jq -r '.[] | select(.linkinfo.info_kind == "veth") | "veth: \(.ifname)"' ||
		echo "failed: ip -d -j link"
	ip -j link show lo | jq -r '.[0] | select((.flags | index("UP")) | not) | "lo: down"' ||
		echo "failed: ip -j link show lo"
	# the store and the cache need not exist (nothing was ever stored)
	[ ! -e "$store" ] || find "$store" -type f ! -name lock ! -name 'last_reserved_ip.*' |
		sed 's/^/store: /' || echo "failed: find $store"
	[ ! -e /var/lib/cni/results ] || find /var/lib/cni/results -type f |
		sed 's/^/libcni cache: /' || echo "failed: find /var/lib/cni/results"
	nft -j list ruleset | jq -r '
		def shared: test("^CNI-(HOSTPORT-.*|FORWARD|ADMIN)$");
		.nftables[] |
		(select(.rule) | .rule | select(((.chain | shared) or
			([.expr[] | .jump.target? // .goto.target? // empty] | any(shared))) | not) |
			"rule: \(.family) \(.table) \(.chain) \(.comment // (.expr | tostring))"),
		(select(.chain) | .chain | select(.name | test("^CNI-[0-9a-f]{24}$")) |
			"chain: \(.family) \(.table) \(.name)"),
		(select(.table) | .table | select(.name == "nsbox") | "table: \(.family) nsbox")' ||
		echo "failed: nft -j list ruleset"
	rs=$(nft list ruleset) || echo "failed: nft list ruleset"
	for w in "$@"; do
		# grep finding nothing is the answer wanted
		grep -F -w -- "$w" <<<"$rs" | sed 's/^/rule naming '"$w"': /' || [ $? = 1 ]
	done
}

# engine_nothing_left FUNCTION ARG...: FUNCTION (a *_leftovers) prints
# nothing, or the case fails showing what it printed
engine_nothing_left() {
	local left
	left=$("$@")
	[ -z "$left" ] && return 0
	echo "left behind:" >&2
	echo "$left" >&2
	return 1
}

# engine_report FUNCTION ARG...: in a teardown, after a failed case, what
# FUNCTION (a *_leftovers) prints, as TAP comments for the report
engine_report() {
	[ -z "${BATS_TEST_COMPLETED:-}" ] || return 0
	"$@" | sed 's/^/# after the failure, left: /' >&3
}

# engine_peer: a second namespace on the host, peer (192.168.99.2 on its
# eth0, its lo up), behind vpeer0 (192.168.99.1); engine_peer_gone: gone
engine_peer() {
	ip netns add peer
	ip link add vpeer0 type veth peer name eth0 netns peer
	ip addr add 192.168.99.1/24 dev vpeer0
	ip link set vpeer0 up
	ip -n peer addr add 192.168.99.2/24 dev eth0
	ip -n peer link set eth0 up
	ip -n peer link set lo up
	ip -n peer route add default via 192.168.99.1
}
engine_peer_gone() {
	ip link del vpeer0 2>/dev/null || true
	ip netns del peer 2>/dev/null || true
}

# engine_get HOST PORT: the last line an HTTP server at HOST:PORT answers
engine_get() {
	printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 socat -T3 - "TCP:$1:$2" | tail -n 1
}
