#!/usr/bin/env bats
# CNI configurations and results, side by side with the reference plugins
# of containernetworking-plugins (/usr/lib/cni): what the reference takes,
# nsbox takes and answers alike; what it refuses, nsbox refuses, with the
# spec's error object naming the key at fault.

load helper
bats_require_minimum_version 1.5.0

REF=/usr/lib/cni

setup_world() {
	PLUG="$BATS_TEST_TMPDIR/cni"
	mkdir -p "$PLUG"
	"$NSBOX" --install -s --cni "$PLUG"
	ip netns add c1
	ip netns add c2
}

# call DIR NAME CMD NETNS < config: the protocol by hand, in DIR's plugins
# (container ID $CID, c1id by default)
call() {
	CNI_COMMAND=$3 CNI_CONTAINERID=${CID:-c1id} CNI_NETNS=/run/netns/$4 \
		CNI_IFNAME=eth0 CNI_PATH="$1" "$1/$2"
}

PREV='"prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.77.0.5/24"}]}'

@test "portmap: a bad mapping is refused by both; nsbox's error names the key at fault" {
	for m in '"hostPort":0,"containerPort":80' '"hostPort":8080,"containerPort":0' \
		 '"hostPort":8080,"containerPort":80,"protocol":"icmp"'; do
		cfg='{"cniVersion":"1.0.0","name":"p","type":"portmap","runtimeConfig":{"portMappings":[{'$m'}]},'$PREV'}'
		run -1 call "$REF" portmap ADD c1 <<<"$cfg"
		run -1 call "$PLUG" portmap ADD c2 <<<"$cfg"
		[ "$(jq .code <<<"$output")" = 7 ]
		case $m in
		*'"hostPort":0'*) want=hostPort ;;
		*'"containerPort":0'*) want=containerPort ;;
		*) want=protocol ;;
		esac
		[ "$(jq -r .details <<<"$output")" = "$want" ]
	done
	nothing jqr '.nftables[] | select(.rule) | .rule.comment // empty | select(contains("portmap"))' nft -j list ruleset
}

# hl NAME RANGES: a host-local config over DATA dir $BATS_TEST_TMPDIR/$1
hl() {
	echo '{"cniVersion":"1.0.0","name":"n","type":"bridge","ipam":{"type":"host-local","dataDir":"'"$BATS_TEST_TMPDIR/$1"'","ranges":'"$2"'}}'
}

@test "host-local: ranges sharing an address are refused by both, in a set or across sets" {
	for r in '[[{"subnet":"10.78.0.0/24"},{"subnet":"10.78.0.0/25"}]]' \
		 '[[{"subnet":"10.78.0.0/24"}],[{"subnet":"10.78.0.0/24"}]]' \
		 '[[{"subnet":"10.78.0.0/24","rangeEnd":"10.78.0.100"},{"subnet":"10.78.0.0/24","rangeStart":"10.78.0.100"}]]' \
		 '[[{"subnet":"fd00::/64"}],[{"subnet":"10.78.0.0/24"}],[{"subnet":"fd00::/120"}]]'; do
		run -1 call "$REF" host-local ADD c1 <<<"$(hl ref "$r")"
		run -1 call "$PLUG" host-local ADD c2 <<<"$(hl nsb "$r")"
		[ "$(jq .code <<<"$output")" = 7 ]
		[ "$(jq -r .details <<<"$output")" = ipam.ranges ]
	done
	[ ! -e "$BATS_TEST_TMPDIR/nsb" ]
}

@test "host-local: adjacent ranges, a gateway outside the subnet: taken by both, the same addresses" {
	for r in '[[{"subnet":"10.78.0.0/24","rangeEnd":"10.78.0.2"},{"subnet":"10.78.0.0/24","rangeStart":"10.78.0.3"}],[{"subnet":"fd00::/64"}]]' \
		 '[[{"subnet":"10.79.0.0/24","gateway":"10.80.0.1"}]]'; do
		rm -rf "$BATS_TEST_TMPDIR"/{ref,nsb}
		for n in 1 2 3; do	# three containers (bats' run uses $i)
			CID=id$n run -0 call "$REF" host-local ADD c1 <<<"$(hl ref "$r")"
			want=$(jq -c '[.ips[] | [.address, .gateway]]' <<<"$output")
			CID=id$n run -0 call "$PLUG" host-local ADD c2 <<<"$(hl nsb "$r")"
			[ "$(jq -c '[.ips[] | [.address, .gateway]]' <<<"$output")" = "$want" ]
		done
	done
}

@test "bridge without IPAM (no ipam key, or an empty one): layer 2 only, as the reference" {
	for ipam in '' ',"ipam":{}'; do
		for s in ref:c1:b1 nsb:c2:b2; do
			IFS=: read -r who ns br <<<"$s"
			dir=$PLUG
			[ "$who" = nsb ] || dir=$REF
			cfg='{"cniVersion":"1.0.0","name":"l2","type":"bridge","bridge":"'$br'"'$ipam'}'
			run -0 call "$dir" bridge ADD "$ns" <<<"$cfg"
			res=$output
			# interfaces (bridge, host end, container end), no address
			[ "$(jq -c '[(.interfaces | length), (.ips // [] | length), (.routes // [] | length)]' <<<"$res")" = '[3,0,0]' ]
			ip -n "$ns" -j link show eth0 | jq -e '.[0].flags | index("UP")'
			[ "$(ip -n "$ns" -j addr show eth0 | jq '[.[0].addr_info[] | select(.scope == "global")] | length')" = 0 ]
			[ "$(ip -j addr show "$br" | jq '[.[0].addr_info[] | select(.scope == "global")] | length')" = 0 ]
			[ "$(ip -j link show master "$br" | jq length)" = 1 ]
			# the reference's CHECK asks an IPAM plugin named "" (and fails)
			[ "$who" = ref ] || run -0 call "$dir" bridge CHECK "$ns" <<<"${cfg%\}},\"prevResult\":$res}"
			run -0 call "$dir" bridge DEL "$ns" <<<"$cfg"
			[ "$(ip -j link show master "$br" | jq length)" = 0 ]
			[ "$(ip -n "$ns" -j link | jq '[.[] | select(.ifname == "eth0")] | length')" = 0 ]
		done
	done
	nothing jqr '.nftables[] | select(.rule) | .rule.comment // empty' nft -j list ruleset
}
