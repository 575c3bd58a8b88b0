#!/usr/bin/env bats
# CNI configurations and results, side by side with the reference plugins
# of containernetworking-plugins (/usr/lib/cni): what the reference takes,
# nsbox takes and answers alike; what it refuses, nsbox refuses, with the
# spec's error object naming the key at fault.

load helper

REF=/usr/lib/cni

setup_world() {
	PLUG="$BATS_TEST_TMPDIR/cni"
	mkdir -p "$PLUG"
	"$NSBOX" --install -s --cni "$PLUG"
	ip netns add c1
	ip netns add c2
}

# call DIR NAME CMD NETNS < config: the protocol by hand, in DIR's plugins
call() {
	CNI_COMMAND=$3 CNI_CONTAINERID=c1id CNI_NETNS=/run/netns/$4 \
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
	[ -z "$(nft -j list ruleset | jq -r '.nftables[] | select(.rule) | .rule.comment // empty' | grep portmap || true)" ]
}
