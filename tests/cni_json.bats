#!/usr/bin/env bats
# The CNI plugins' JSON, side by side with the reference plugins of
# containernetworking-plugins (/usr/lib/cni, Go's encoding/json): text that
# is not JSON is refused by both with the spec's error object (code 6) and
# nothing reserved or created; valid JSON the old fixed token array refused
# is taken; keys match in any case and a duplicate takes its last value, as
# Go decodes; every string printed (results, errors, ip -j, nsgraph) is
# valid JSON, checked by python3's json module (strict about UTF-8 and
# control bytes) and jq.

load helper
bats_require_minimum_version 1.5.0

REF=/usr/lib/cni
RUNTIME="$BATS_TEST_DIRNAME/../build/cni-runtime"

setup_world() {
	PLUG="$BATS_TEST_TMPDIR/cni"
	mkdir -p "$PLUG"
	"$NSBOX" --install -s --cni "$PLUG"
	D="$BATS_TEST_TMPDIR/data"
	ip netns add c1
	ip netns add c2
}

# call DIR NAME CMD NETNS < config: the protocol by hand
call() {
	CNI_COMMAND=$3 CNI_CONTAINERID=${CID:-c1id} CNI_NETNS=/run/netns/$4 \
		CNI_IFNAME=eth0 CNI_PATH="$1" "$1/$2"
}

# strict: stdin is one JSON text of UTF-8 (python's json refuses raw
# control bytes, trailing data and bytes that are not UTF-8)
strict() {
	python3 -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))'
}

# a configuration every plugin reads, with an address store under $D/$1
base() {
	printf '%s' '{"cniVersion":"1.0.0","name":"n","type":"bridge","bridge":"jb0",' \
		'"ipam":{"type":"host-local","dataDir":"'"$D/$1"'","ranges":[[{"subnet":"10.66.0.0/24"}]]},' \
		'"runtimeConfig":{"portMappings":[{"hostPort":18080,"containerPort":80}]},' \
		'"prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.66.0.5/24"}]}'
}

# nothing made: no store, no link beyond lo in c1 and c2, no jb0, no rule
nothing_made() {
	[ ! -e "$D" ]
	[ "$(ip -n c1 -j link | jq -c '[.[].ifname]')" = '["lo"]' ]
	[ "$(ip -n c2 -j link | jq -c '[.[].ifname]')" = '["lo"]' ]
	nothing jqr '.[] | select(.ifname == "jb0" or (.ifname | startswith("veth"))) | .ifname' ip -j link
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 0 ]
}

@test "text that is not JSON: every plugin refuses it with code 6 as the reference does, and makes nothing" {
	local -a bad=(
		"$(base r)} x"				# trailing data
		"$(base r)}}"				# one brace too many
		"$(base r),}"				# trailing comma
		"$(base r),\"mtu\":nul}"		# bad literals, bad numbers
		"$(base r),\"mtu\":01}"
		"$(base r),\"mtu\":1.2.3}"
		"$(base r),\"mtu\":-}"
		"$(base r),\"mtu\":1.}"
		"$(base r),\"mtu\":.5}"
		"$(base r),\"mtu\":1e}"
		"$(base r),\"x\":[1,]}"
		"$(base r),\"a\"}"			# a key without a value
		"$(base r),\"x\":\"a"$'\x01'"b\"}"	# a raw control byte
		"$(base r),\"x\":\"a"$'\t'"b\"}"
		"$(base r),\"x\":\"\\x\"}"		# a bad escape
		"$(base r),\"x\":\"\\u12\"}"
		"$(base r),\"x\":'a'}"
		"$(base r)"				# cut short
		""
	)
	local p cfg n=0
	for cfg in "${bad[@]}"; do
		# the reference's plugins share one decoder: one of them a text
		p=(bridge host-local portmap loopback)
		run -1 call "$REF" "${p[n++ % 4]}" ADD c1 <<<"$cfg"
		[ "$(jq .code <<<"$output")" = 6 ]
		for p in bridge host-local portmap loopback; do
			run -1 call "$PLUG" "$p" ADD c2 <<<"${cfg//"$D/r"/"$D/n"}"
			strict <<<"$output"
			[ "$(jq .code <<<"$output")" = 6 ]
			[[ "$(jq -r .msg <<<"$output")" = "error unmarshall network config: "* ]]
		done
		# DEL too: nothing released, nothing touched
		run -1 call "$PLUG" bridge DEL c2 <<<"${cfg//"$D/r"/"$D/n"}"
		[ "$(jq .code <<<"$output")" = 6 ]
	done
	nothing_made
}

@test "where nsbox is stricter than the reference: a NUL in a key nsbox reads" {
	# Go takes "a\u0000b" as a string; a C string cannot hold it: code 7
	cfg='{"cniVersion":"1.0.0","name":"n","type":"host-local","ipam":{"type":"host-local","dataDir":"'"$D"'/n\u0000x","ranges":[[{"subnet":"10.66.0.0/24"}]]}}'
	run -1 call "$PLUG" host-local ADD c2 <<<"$cfg"
	strict <<<"$output"
	[ "$(jq .code <<<"$output")" = 7 ]
	[ "$(jq -r .details <<<"$output")" = dataDir ]
	nothing_made
}

@test "valid JSON past the old token limit (deep nesting, a long array under an unknown key): taken, as by the reference" {
	local deep wide
	deep=$(python3 -c 'print("[" * 9990 + "]" * 9990)')
	wide=$(python3 -c 'print("[" + ",".join(["0"] * 400000) + "]")')
	for x in "$deep" "$wide" '{"a":1,"a":2,"A":3}'; do
		for s in ref:c1:r nsb:c2:n; do
			IFS=: read -r who ns dir <<<"$s"
			cfg='{"cniVersion":"1.0.0","name":"n","type":"host-local","x":'$x',"ipam":{"type":"host-local","dataDir":"'"$D/$dir"'","ranges":[[{"subnet":"10.66.0.0/24"}]]}}'
			[ "$who" = ref ] && run -0 call "$REF" host-local ADD "$ns" <<<"$cfg"
			[ "$who" = nsb ] && run -0 call "$PLUG" host-local ADD "$ns" <<<"$cfg"
			# the reference's address (each store hands out the next)
			[ "$who" = ref ] && want=$(jq -r '.ips[0].address' <<<"$output")
			[ "$(jq -r '.ips[0].address' <<<"$output")" = "$want" ] ||
				{ echo "$who ${x:0:20}: ${output:0:300}"; false; }
			[[ "$want" = 10.66.0.* ]]
			[ "$who" = ref ] && run -0 call "$REF" host-local DEL "$ns" <<<"$cfg"
			[ "$who" = nsb ] && run -0 call "$PLUG" host-local DEL "$ns" <<<"$cfg"
		done
	done
	# one level deeper than Go's 10000: refused by both
	deep=$(python3 -c 'print("[" * 10000 + "]" * 10000)')
	cfg='{"cniVersion":"1.0.0","name":"n","type":"host-local","x":'$deep'}'
	run -1 call "$REF" host-local ADD c1 <<<"$cfg"
	[ "$(jq .code <<<"$output")" = 6 ]
	run -1 call "$PLUG" host-local ADD c2 <<<"$cfg"
	[ "$(jq .code <<<"$output")" = 6 ]
}

@test "keys in any case, a duplicate's last value, Kelvin sign and long s: the same addresses as the reference" {
	local r
	for r in '"ranges":[[{"subnet":"10.67.0.0/24"}]],"RANGES":[[{"subnet":"10.68.0.0/24"}]]' \
		 '"Ranges":[[{"Subnet":"10.68.0.0/24","RangeStart":"10.68.0.9"}]]' \
		 '"ranges":[[{"\u017fubnet":"10.68.0.0/24","rangeStart":"10.68.0.9","RANGESTART":"10.68.0.7"}]]' \
		 '"ranges":[[{"subnet":"10.68.0.0/24","\u212aey":1,"gateway":"10.68.0.1","Gateway":"10.68.0.3"}]]' \
		 '"ranges":[[{"subnet":"10.68.0.0/24","rangeStart":"10.68.0.9","rangeStart":null}]]'; do
		rm -rf "$D"
		cfg='{"cniVersion":"1.0.0","Name":"n","TYPE":"host-local","IPAM":{"Type":"host-local","DataDir":"'"$D"'/r",'$r'}}'
		run -0 call "$REF" host-local ADD c1 <<<"$cfg"
		want=$(jq -c '[.ips[] | [.address, .gateway]]' <<<"$output")
		run -0 call "$PLUG" host-local ADD c2 <<<"${cfg//"$D/r"/"$D/n"}"
		strict <<<"$output"
		[ "$(jq -c '[.ips[] | [.address, .gateway]]' <<<"$output")" = "$want" ]
		[ "$(ls "$D/n/n" | grep '^10\.')" = "$(ls "$D/r/n" | grep '^10\.')" ]
	done
}

@test "containerd's capitalised portMappings: portmap through libcni and by hand, as the reference" {
	[ -x "$RUNTIME" ] || skip "build/cni-runtime missing (make build/cni-runtime)"
	cat > "$BATS_TEST_TMPDIR/net.conflist" <<EOF
{"cniVersion":"1.0.0","name":"ctrd","plugins":[
 {"type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,
  "ipam":{"type":"host-local","dataDir":"$D","ranges":[[{"subnet":"10.71.0.0/24"}]]}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
EOF
	pm='[{"HostPort":18090,"ContainerPort":80,"Protocol":"tcp","HostIP":""}]'
	CNI_CACHE="$BATS_TEST_TMPDIR/cache" CNI_PATH="$PLUG" run -0 "$RUNTIME" add \
		"$BATS_TEST_TMPDIR/net.conflist" c1id /run/netns/c1 eth0 "$pm"
	nft -j list ruleset | jq -e '[.nftables[] | select(.rule) | .rule.expr[] | select(.match.right == 18090)] | length > 0'
	nft -j list ruleset | jq -e '.nftables[] | select(.rule.comment // "" | startswith("portmap ctrd c1id eth0"))'
	CNI_CACHE="$BATS_TEST_TMPDIR/cache" CNI_PATH="$PLUG" run -0 "$RUNTIME" del \
		"$BATS_TEST_TMPDIR/net.conflist" c1id /run/netns/c1 eth0 "$pm"
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 0 ]
	nothing store_ips "$D/ctrd"
	# by hand, with prevResult as Go re-marshals a map: of "ips" and
	# "IPS", "ips" (sorted last); the reference DNATs to the same address
	cfg='{"cniVersion":"1.0.0","name":"pm","type":"portmap","runtimeConfig":{"portMappings":'$pm'},"prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.70.0.5/24"}],"IPS":[{"address":"10.70.0.6/24"}]}}'
	run -0 call "$REF" portmap ADD c1 <<<"$cfg"
	nft list ruleset | grep -q 'tcp dport 18090 .*dnat to 10.70.0.5:80'
	run -0 call "$REF" portmap DEL c1 <<<"$cfg"
	run -0 call "$PLUG" portmap ADD c2 <<<"$cfg"
	strict <<<"$output"
	nft -j list ruleset | jq -e '[.nftables[] | select(.rule.comment // "" | startswith("portmap pm c1id eth0")) | .rule.expr[] | select(.dnat.addr == "10.70.0.5" and .dnat.port == 80)] | length > 0'
	run -0 call "$PLUG" portmap DEL c2 <<<"$cfg"
	nothing jqr '.nftables[] | select(.rule.comment // "" | startswith("portmap")) | .rule.comment' nft -j list ruleset
}

@test "dns from the config and from resolv.conf: escaped, valid JSON, the same values as the reference's" {
	printf 'nameserver 1.1.1.1\nnameserver \001x\377y\177\nsearch a\303\251 b\002\ndomain d\033\noptions ndots:5\n' \
		> "$BATS_TEST_TMPDIR/resolv"
	for who in r n; do
		cfg='{"cniVersion":"1.0.0","name":"n","type":"host-local","ipam":{"type":"host-local","dataDir":"'"$D/$who"'","resolvConf":"'"$BATS_TEST_TMPDIR"'/resolv","ranges":[[{"subnet":"10.66.0.0/24"}]]}}'
		[ $who = r ] && run -0 call "$REF" host-local ADD c1 <<<"$cfg"
		[ $who = n ] && run -0 call "$PLUG" host-local ADD c2 <<<"$cfg"
		strict <<<"$output"
		jq -c .dns <<<"$output" > "$BATS_TEST_TMPDIR/dns.$who"
	done
	[ "$(jq -r '.nameservers[1]' "$BATS_TEST_TMPDIR/dns.n")" = $'\001x\uFFFDy\177' ]
	cmp "$BATS_TEST_TMPDIR/dns.r" "$BATS_TEST_TMPDIR/dns.n"
	# the network config's dns, passed on by bridge: keys in any case,
	# unknown keys and empty fields left out, strings escaped
	for s in r:rb0:c1 n:nb0:c2; do
		IFS=: read -r who br ns <<<"$s"
		cfg='{"cniVersion":"1.0.0","name":"n","type":"bridge","bridge":"'$br'","dns":{"Nameservers":["1.1.1.1","a\u0001\"\\\u00e9\ud83d\ude00"],"domain":"d","Search":[],"x":{"y":[1]},"options":null},"ipam":{"type":"host-local","dataDir":"'"$D/b$who"'","ranges":[[{"subnet":"10.69.0.0/24"}]]}}'
		[ $who = r ] && run -0 call "$REF" bridge ADD $ns <<<"$cfg"
		[ $who = n ] && run -0 call "$PLUG" bridge ADD $ns <<<"$cfg"
		strict <<<"$output"
		jq -c .dns <<<"$output" > "$BATS_TEST_TMPDIR/bdns.$who"
	done
	cmp "$BATS_TEST_TMPDIR/bdns.r" "$BATS_TEST_TMPDIR/bdns.n"
	# an invalid byte in the config's dns (Go reads it as U+FFFD)
	cfg='{"cniVersion":"1.0.0","name":"n","type":"loopback","dns":{"domain":"a'$'\377''b"},"prevResult":{"cniVersion":"1.0.0","dns":{"search":["\u0001"]}}}'
	run -0 call "$PLUG" loopback ADD c2 <<<"$cfg"
	strict <<<"$output"
}

@test "error objects: every string escaped, the output valid JSON" {
	cfg='{"cniVersion":"1.0.0","name":"a\u0001\"b\\\u00ff'$'\377''","type":"bridge"}'
	run -1 call "$PLUG" bridge ADD c2 <<<"$cfg"
	strict <<<"$output"
	[ "$(jq .code <<<"$output")" = 7 ]
	[ "$(jq -r .details <<<"$output")" = $'a\001"b\\\u00ff\uFFFD' ]
	CID=$'bad\001id\377' run -1 call "$PLUG" loopback ADD c2 <<<'{"cniVersion":"1.0.0","name":"n","type":"loopback"}'
	strict <<<"$output"
	[ "$(jq .code <<<"$output")" = 4 ]
	[ "$(jq -r .details <<<"$output")" = $'bad\001id\uFFFD' ]
	run -1 env CNI_COMMAND=$'X\001\377' "$PLUG/bridge" </dev/null
	strict <<<"$output"
	[ "$(jq .code <<<"$output")" = 4 ]
	nothing_made
}

@test "ip -j, nslist -j, nsgraph -j: names with control bytes and bytes that are not UTF-8 come out valid JSON" {
	local ns=$'w\001\377' dev=$'v\002\376'
	ip netns add "$ns"
	ip -n "$ns" link add "$dev" type veth peer name p0
	for cmd in "nslist -j" "nsgraph -j" "iplink -j -n $ns" "ipaddr -j -n $ns" "ip -j -n $ns link" "ip -j -n $ns addr"; do
		run -0 "$NSBOX" $cmd
		strict <<<"$output"
	done
	run -0 "$NSBOX" nslist -j
	jq -e --arg n $'w\001\uFFFD' '[.. | strings | select(. == $n)] | length > 0' <<<"$output"
	run -0 "$NSBOX" iplink -j -n "$ns"
	jq -e --arg n $'v\002\uFFFD' '[.. | strings | select(. == $n)] | length > 0' <<<"$output"
}
