# What a container engine's pods may not leave behind, for tests/cri.bats
# and tests/podman.bats.

# engine_leftovers STORE WORDS...: print, one a line, what is left: network
# namespaces, veths, addresses in host-local's STORE, libcni's cached
# results, nf_tables rules other than the reference plugins' shared chains
# (portmap's CNI-HOSTPORT-*, firewall's CNI-FORWARD and CNI-ADMIN) and the
# jumps to them, per-attachment chains (CNI-<hash>), nsbox's tables, a rule
# naming any of WORDS (sandbox ids, addresses), and the host's lo not up.
# No output: nothing is left.
engine_leftovers() {
	local store=$1 w
	shift
	ls /run/netns 2>/dev/null | sed 's/^/netns: /'
	ip -d -j link | jq -r '.[] | select(.linkinfo.info_kind == "veth") | "veth: \(.ifname)"'
	ip -j link show lo | jq -r '.[0] | select((.flags | index("UP")) | not) | "lo: down"'
	find "$store" -type f ! -name lock ! -name 'last_reserved_ip.*' 2>/dev/null | sed 's/^/store: /'
	find /var/lib/cni/results -type f 2>/dev/null | sed 's/^/libcni cache: /'
	nft -j list ruleset | jq -r '
		def shared: test("^CNI-(HOSTPORT-.*|FORWARD|ADMIN)$");
		.nftables[] |
		(select(.rule) | .rule | select(((.chain | shared) or
			([.expr[] | .jump.target? // .goto.target? // empty] | any(shared))) | not) |
			"rule: \(.family) \(.table) \(.chain) \(.comment // (.expr | tostring))"),
		(select(.chain) | .chain | select(.name | test("^CNI-[0-9a-f]{24}$")) |
			"chain: \(.family) \(.table) \(.name)"),
		(select(.table) | .table | select(.name == "nsbox") | "table: \(.family) nsbox")'
	for w in "$@"; do
		nft list ruleset | grep -F -w -- "$w" | sed 's/^/rule naming '"$w"': /'
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
