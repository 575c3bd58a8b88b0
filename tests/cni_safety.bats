#!/usr/bin/env bats
# nsbox's CNI plugins on a shared node: never the namespace they run in,
# never what another attachment shares (a bridge, its gateway, another's
# rules or addresses), nothing released on a list GC cannot read, an IPAM
# child that neither kills nor hangs them, a store that follows no link
# and says what went wrong.  Checked with ip -j, nft -j, the store's files,
# and against the reference plugins (/usr/lib/cni) and libcni
# (build/cni-runtime) where they define the behaviour.

load helper
bats_require_minimum_version 1.5.0

setup_world() {
	cni_world
	BR='{"cniVersion":"1.0.0","name":"t","type":"bridge","isGateway":true,"ipMasq":true,"ipam":{"type":"host-local","dataDir":"'$DATA'","ranges":[[{"subnet":"10.88.0.0/16"}]],"routes":[{"dst":"0.0.0.0/0"}]}}'
	LO='{"cniVersion":"1.0.0","name":"lo","type":"loopback"}'
}

# call DIR PLUGIN CMD ID NETNS [IFNAME] < config: the protocol by hand;
# NETNS "-" leaves CNI_NETNS unset; CNI_PATH is DIR, or $CPATH
call() {
	local ns=(CNI_NETNS="$5")
	[ "$5" != - ] || ns=(-u CNI_NETNS)
	env "${ns[@]}" CNI_COMMAND="$3" CNI_CONTAINERID="$4" CNI_IFNAME="${6:-eth0}" \
		CNI_PATH="${CPATH:-$1}" "$1/$2"
}

# with_prev CONFIG RESULT: CONFIG with prevResult RESULT
with_prev() { jq -c --argjson r "$2" '. + {prevResult: $r}' <<<"$1"; }

# code OUTPUT: the error object's code
code() { jq -r .code <<<"$1"; }

links() { ip ${1:+-n "$1"} -j link | jq -c '[.[].ifname] | sort'; }
rules() { nft -j list ruleset | jq -c '[.nftables[] | select(.rule) | .rule.comment] | sort'; }
addrs() { ls "$DATA/t" 2>/dev/null | grep -E '^[0-9a-f]+[.:]' | sort | tr '\n' ' '; }

@test "loopback: DEL without CNI_NETNS, with it empty, or naming the plugin's own namespace never sets that lo down; ADD there is refused" {
	for d in $REF $PLUG; do
		run -0 call $d loopback DEL c1id - lo <<<"$LO"
		run -0 call $d loopback DEL c1id "" lo <<<"$LO"
		ip -j link show lo | jq -e '.[0].flags | index("UP")'
		# ADD without a namespace: the spec's error 4, as the reference
		run -1 call $d loopback ADD c1id "" lo <<<"$LO"
		[ "$(code "$output")" = 4 ]
	done
	# the reference would act on /proc/self/ns/net; nsbox never does
	run -0 call "$PLUG" loopback DEL c1id /proc/self/ns/net lo <<<"$LO"
	ip -j link show lo | jq -e '.[0].flags | index("UP")'
	run -1 call "$PLUG" loopback ADD c1id /proc/self/ns/net lo <<<"$LO"
	[ "$(jq -c '[.code, .msg]' <<<"$output")" = '[4,"CNI_NETNS is the plugin'"'"'s own network namespace"]' ]
	run -1 call "$PLUG" bridge ADD c1id "/proc/$$/ns/net" <<<"$BR"
	[ "$(code "$output")" = 4 ]
	[ "$(links)" = '["lo"]' ]
	# and a sandbox's lo is still brought down by DEL
	run -0 call "$PLUG" loopback ADD c1id /run/netns/c1 lo <<<"$LO"
	run -0 call "$PLUG" loopback DEL c1id /run/netns/c1 lo <<<"$LO"
	ip -n c1 -j link show lo | jq -e '.[0].flags | index("UP") | not'
}

@test "bridge DEL without or with an empty CNI_NETNS releases the address, the rules and the host's veth, and succeeds" {
	for ns in "" -; do
		run -0 call "$PLUG" bridge ADD c1id /run/netns/c1 <<<"$BR"
		res=$output
		host=$(jq -r '.interfaces[1].name' <<<"$res")
		[ "$(addrs)" = "10.88.0.2 " ]
		[ "$(rules)" = '["bridge t c1id eth0 masq 10.88.0.2"]' ]
		run -0 call "$PLUG" bridge DEL c1id "$ns" <<<"$(with_prev "$BR" "$res")"
		[ -z "$output" ]
		nothing addrs
		[ "$(rules)" = '[]' ]
		# the namespace lives on (someone holds it): its veth is gone
		[ "$(links)" = '["cni0","lo"]' ]
		[ "$(links c1)" = '["lo"]' ]
		ip -j link show lo | jq -e '.[0].flags | index("UP")'
		rm -f "$DATA/t/last_reserved_ip.0"
	done
	# a prevResult naming a veth that is not that one (another MAC): kept
	ip link add vx type veth peer name vy netns c2
	ip link set vx master cni0
	run -0 call "$PLUG" bridge ADD c1id /run/netns/c1 <<<"$BR"
	res=$(jq -c '.interfaces[1].name = "vx"' <<<"$output")
	run -0 call "$PLUG" bridge DEL c1id "" <<<"$(with_prev "$BR" "$res")"
	ip link show vx
	# the reference releases the address alike (and leaves its rule)
	run -0 call $REF bridge ADD c2id /run/netns/c2 <<<"$BR"
	run -0 call $REF bridge DEL c2id "" <<<"$BR"
	nothing addrs
}

# fakeipam NAME BODY: an IPAM plugin NAME in $PLUG, a shell script
fakeipam() {
	printf '#!/bin/sh\n%s\n' "$2" > "$PLUG/$1"
	chmod +x "$PLUG/$1"
}

@test "a failed ADD never deletes the bridge (another container joins meanwhile); it removes only its own veth" {
	# an IPAM plugin during which another port joins cni0, then fails
	fakeipam joinfail "$(command -v ip)"' link add vx type veth peer name vy >/dev/null 2>&1; '"$(command -v ip)"' link set vx master cni0; echo "{\"code\":11,\"msg\":\"no\"}"; exit 1'
	cfg=$(jq -c '.ipam = {"type":"joinfail"}' <<<"$BR")
	run -1 call "$PLUG" bridge ADD c1id /run/netns/c1 <<<"$cfg"
	[ "$(jq -c '[.code, .msg]' <<<"$output")" = '[11,"no"]' ]
	[ "$(links)" = '["cni0","lo","vx","vy"]' ]
	[ "$(ip -j link show vx | jq -r '.[0].master')" = cni0 ]
	[ "$(links c1)" = '["lo"]' ]
	# as the reference, which keeps the bridge too (and leaks its veth)
	ip link del vx
	CPATH=$PLUG run -1 call $REF bridge ADD c1id /run/netns/c1 <<<"$cfg"
	[ "$(ip -j link show vx | jq -r '.[0].master')" = cni0 ]
}

@test "a failed ADD keeps the gateway address it put on a bridge others use" {
	# a bridge without an address, a container on it by hand
	ip link add cni0 type bridge && ip link set cni0 up
	ip link add vx type veth peer name eth0 netns c1
	ip link set vx master cni0 up
	ip -n c1 addr add 10.88.0.200/16 dev eth0 && ip -n c1 link set eth0 up
	# an ADD failing after the gateway went on (the masquerade rule's
	# comment too long for this ID)
	id=$(printf 'c%.0s' $(seq 110))
	run -1 call "$PLUG" bridge ADD "$id" /run/netns/c2 <<<"$BR"
	[ "$(code "$output")" = 7 ]
	[ "$(links c2)" = '["lo"]' ]
	nothing addrs
	ip -j addr show cni0 | jq -e '.[0].addr_info[] | select(.local == "10.88.0.1")'
	ip netns exec c1 ping -c1 -W2 10.88.0.1
}

@test "8 parallel ADDs of one container ID: one wins and its attachment stays whole" {
	for i in $(seq 8); do
		call "$PLUG" bridge ADD c1id /run/netns/c1 <<<"$BR" >"$BATS_TEST_TMPDIR/o$i" &
	done
	wait
	[ "$(cat "$BATS_TEST_TMPDIR"/o* | jq -s '[.[] | select(.ips)] | length')" = 1 ]
	[ "$(addrs)" = "10.88.0.2 " ]
	[ "$(rules)" = '["bridge t c1id eth0 masq 10.88.0.2"]' ]
	[ "$(ip -j link show master cni0 | jq length)" = 1 ]
	ip -n c1 -j addr show eth0 | jq -e '.[0].addr_info[] | select(.local == "10.88.0.2")'
	ip netns exec c1 ping -c1 -W2 10.88.0.1
}

@test "GC with a malformed cni.dev/valid-attachments releases nothing and fails" {
	run -0 call "$PLUG" bridge ADD c1id /run/netns/c1 <<<"$BR"
	run -0 call "$PLUG" bridge ADD c2id /run/netns/c2 <<<"$BR"
	pm='{"cniVersion":"1.1.0","name":"t","type":"portmap","runtimeConfig":{"portMappings":[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]}}'
	run -0 call "$PLUG" portmap ADD c1id /run/netns/c1 <<<"$(with_prev "$pm" "$output")"
	before="$(addrs) $(rules)"
	for v in 5 '"c1id"' '{}' null '[1]' '["c1id"]' '[null]' '[[]]' \
		'[{"containerID":1,"ifname":"eth0"}]' '[{"containerID":"c1id","ifname":5}]' \
		'[{"ifname":"eth0"}]' '[{"containerID":"c1id"}]' '[{"containerID":"","ifname":"eth0"}]' \
		'[{"containerID":"c1id","ifname":"eth0"},{"containerID":"c2id"}]'; do
		for p in bridge host-local portmap; do
			gc=$(jq -c --argjson v "$v" '.cniVersion = "1.1.0" | .type = "'$p'" | .["cni.dev/valid-attachments"] = $v' <<<"$BR")
			run -1 env CNI_COMMAND=GC CNI_PATH="$PLUG" "$PLUG/$p" <<<"$gc"
			[ "$(code "$output")" = 7 ] || { echo "$p $v: $output"; false; }
			[ "$(addrs) $(rules)" = "$before" ] || { echo "$p $v released"; false; }
		done
	done
	# a well-formed list keeps what it names
	gc=$(jq -c '.cniVersion = "1.1.0" | .["cni.dev/valid-attachments"] = [{"containerID":"c1id","ifname":"eth0"}]' <<<"$BR")
	run -0 env CNI_COMMAND=GC CNI_PATH="$PLUG" "$PLUG/bridge" <<<"$gc"
	[ "$(addrs)" = "10.88.0.2 " ]
}

@test "GC matches every container ID ADD accepts whole: long ones are kept, a prefix of one is not it" {
	hl='{"cniVersion":"1.1.0","name":"t","type":"host-local","ipam":{"type":"host-local","dataDir":"'$DATA'","subnet":"10.88.0.0/24"}}'
	long=$(printf 'a%.0s' $(seq 700))
	run -0 call "$PLUG" host-local ADD "$long" /run/netns/c1 <<<"$hl"
	[ "$(jq -r '.ips[0].address' <<<"$output")" = 10.88.0.2/24 ]
	run -0 call "$PLUG" host-local ADD "${long:0:300}" /run/netns/c1 <<<"$hl"
	[ "$(cat "$DATA/t/10.88.0.2")" = "$long"$'\r\neth0' ]
	# the reference reads nsbox's file whole too
	run -0 call $REF host-local CHECK "$long" /run/netns/c1 <<<"${hl/1.1.0/1.0.0}"
	gc=$(jq -c --arg id "$long" '.["cni.dev/valid-attachments"] = [{"containerID":$id,"ifname":"eth0"}]' <<<"$hl")
	run -0 env CNI_COMMAND=GC CNI_PATH="$PLUG" "$PLUG/host-local" <<<"$gc"
	[ "$(addrs)" = "10.88.0.2 " ]
	run -0 call "$PLUG" host-local DEL "$long" /run/netns/c1 <<<"$hl"
	nothing addrs
}

@test "IPAM child: one that exits without reading a large config neither kills bridge nor leaves anything" {
	fakeipam deaf 'exit 3'
	head -c 300000 /dev/zero | tr '\0' x | jq -Rc --argjson c "$BR" '$c + {ipam: {type: "deaf"}, pad: .}' > "$BATS_TEST_TMPDIR/big"
	run -1 call "$PLUG" bridge ADD c1id /run/netns/c1 < "$BATS_TEST_TMPDIR/big"
	[ "$(jq -r .msg <<<"$output")" = "deaf: failed without an error object" ]
	[ "$(links)" = '["cni0","lo"]' ]
	[ "$(links c1)" = '["lo"]' ]
}

@test "IPAM child: one that writes megabytes ends bridge with an error, bounded, leaving nothing" {
	fakeipam chatty 'exec head -c 50000000 /dev/zero'
	cfg=$(jq -c '.ipam = {"type":"chatty"}' <<<"$BR")
	run -1 timeout 30 env CNI_COMMAND=ADD CNI_CONTAINERID=c1id CNI_NETNS=/run/netns/c1 \
		CNI_IFNAME=eth0 CNI_PATH="$PLUG" "$PLUG/bridge" <<<"$cfg"
	[ "$(jq -c '[.code, .msg]' <<<"$output")" = '[999,"chatty: File too large"]' ]
	[ "$(links c1)" = '["lo"]' ]
	[ "$(ip -j link show master cni0 | jq length)" = 0 ]
}

@test "IPAM child: a directory named host-local earlier in CNI_PATH is passed over, as libcni does" {
	mkdir -p "$BATS_TEST_TMPDIR/early/host-local"
	for d in $REF $PLUG; do
		CPATH=$BATS_TEST_TMPDIR/early:$d run -0 call $d bridge ADD c1id /run/netns/c1 <<<"$BR"
		[[ $(jq -r '.ips[0].address' <<<"$output") == 10.88.0.* ]]
		CPATH=$BATS_TEST_TMPDIR/early:$d run -0 call $d bridge DEL c1id /run/netns/c1 <<<"$BR"
	done
	# and through libcni, the bridge itself found past a directory
	mkdir -p "$BATS_TEST_TMPDIR/early/bridge"
	printf '{"cniVersion":"1.0.0","name":"t","plugins":[%s]}' "$(jq -c 'del(.cniVersion, .name)' <<<"$BR")" > "$BATS_TEST_TMPDIR/n.conflist"
	CNI_PATH="$BATS_TEST_TMPDIR/early:$PLUG" run -0 "$RUNTIME" add "$BATS_TEST_TMPDIR/n.conflist" c1id /run/netns/c1 eth0
}

@test "stdin just over 1 MiB: the spec's error 5, no crash" {
	head -c 1050000 /dev/zero | tr '\0' x | jq -Rc --argjson c "$BR" '$c + {pad: .}' > "$BATS_TEST_TMPDIR/big"
	run -1 call "$PLUG" bridge ADD c1id /run/netns/c1 < "$BATS_TEST_TMPDIR/big"
	[ "$(jq -c '[.code, .msg]' <<<"$output")" = '[5,"error reading from stdin: File too large"]' ]
	[ "$(links)" = '["lo"]' ]
}

@test "portmap: hostIP 0.0.0.0 and :: mean any address of their family, as the reference" {
	run -0 call "$PLUG" bridge ADD c1id /run/netns/c1 <<<"$(jq -c '.ipam.ranges += [[{"subnet":"fd00:88::/64"}]]' <<<"$BR")"
	res=$output
	pm='{"cniVersion":"1.0.0","name":"t","type":"portmap","runtimeConfig":{"portMappings":[{"hostPort":18080,"containerPort":80,"protocol":"tcp","hostIP":"0.0.0.0"},{"hostPort":18081,"containerPort":80,"protocol":"tcp","hostIP":"::"}]}}'
	run -0 call "$PLUG" portmap ADD c1id /run/netns/c1 <<<"$(with_prev "$pm" "$res")"
	# 18080 in table ip only, 18081 in ip6 only; no daddr match in either
	[ "$(nft -j list ruleset | jq -c '[.nftables[] | select(.rule.chain == "prerouting") | [.rule.family, (.rule.expr[] | select(.match.left.payload.field == "dport") | .match.right)]] | sort')" = '[["ip",18080],["ip6",18081]]' ]
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule.chain == "prerouting") | .rule.expr[] | select(.match.left.payload.field == "daddr" and (.match.op == "=="))] | length')" = 0 ]
	ip netns add out
	ip link add up0 type veth peer name up1 netns out
	ip addr add 192.0.2.1/24 dev up0 && ip link set up0 up
	ip -n out addr add 192.0.2.2/24 dev up1 && ip -n out link set up1 up
	ip netns exec c1 socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo hi' &
	until_ok sh -c "ip netns exec c1 ss -Htln 'sport = :80' | grep -q LISTEN"
	[ "$(ip netns exec out socat -T2 - TCP:192.0.2.1:18080 </dev/null)" = hi ]
	kill %1
}

@test "portmap: a prevResult whose container address is loopback gets no forward (CVE-2020-8558)" {
	pm='{"cniVersion":"1.0.0","name":"t","type":"portmap","runtimeConfig":{"portMappings":[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]}}'
	for a in 127.0.0.5/8 ::1/128 ::ffff:127.0.0.1/128 0.0.0.0/0; do
		prev='{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/c1"}],"ips":[{"address":"'$a'","interface":0}]}'
		run -1 call "$PLUG" portmap ADD c1id /run/netns/c1 <<<"$(with_prev "$pm" "$prev")"
		jq -e .code <<<"$output"
		[ "$(rules)" = '[]' ]
	done
}

@test "bridge CHECK fails, as the reference's, when prevResult lacks the interfaces, names another sandbox, or is not an object" {
	run -0 call "$PLUG" bridge ADD c1id /run/netns/c1 <<<"$BR"
	res=$output
	run -0 call "$PLUG" bridge CHECK c1id /run/netns/c1 <<<"$(with_prev "$BR" "$res")"
	for p in "$(jq -c 'del(.interfaces)' <<<"$res")" \
		"$(jq -c '.interfaces[2].sandbox = "/run/netns/c2"' <<<"$res")" \
		"$(jq -c 'del(.interfaces[1])' <<<"$res")" \
		"$(jq -c 'del(.interfaces[0]) | .ips[0].interface = 1' <<<"$res")" \
		'"x"' '[]' '5'; do
		for d in $REF $PLUG; do
			run -1 call $d bridge CHECK c1id /run/netns/c1 <<<"$(with_prev "$BR" "$p")"
			jq -e .code <<<"$output"
		done
	done
}

@test "store: last_reserved_ip.N is never written through a link planted there" {
	mkdir -p "$DATA/t"
	echo precious > "$BATS_TEST_TMPDIR/victim"
	ln -s "$BATS_TEST_TMPDIR/victim" "$DATA/t/last_reserved_ip.0"
	run -0 call "$PLUG" bridge ADD c1id /run/netns/c1 <<<"$BR"
	[ "$(cat "$BATS_TEST_TMPDIR/victim")" = precious ]
	[ ! -L "$DATA/t/last_reserved_ip.0" ]
	[ "$(cat "$DATA/t/last_reserved_ip.0")" = 10.88.0.2 ]
	# nor is an address file a link followed when it is read
	ln -s "$BATS_TEST_TMPDIR/victim" "$DATA/t/10.88.0.9"
	run -0 call "$PLUG" bridge DEL c1id /run/netns/c1 <<<"$BR"
	[ -L "$DATA/t/10.88.0.9" ]
	[ "$(cat "$BATS_TEST_TMPDIR/victim")" = precious ]
}

@test "store: a full disk is said as such, and releases nothing of anyone else's" {
	mkdir -p "$DATA"
	mount -t tmpfs -o size=12k,nr_inodes=6 full "$DATA"
	hl='{"cniVersion":"1.0.0","name":"t","type":"host-local","ipam":{"type":"host-local","dataDir":"'$DATA'","subnet":"10.88.0.0/24"}}'
	n=0
	while call "$PLUG" host-local ADD "c$n" /run/netns/c1 <<<"$hl" >"$BATS_TEST_TMPDIR/out"; do
		n=$((n + 1))
		[ $n -lt 20 ]
	done
	[ $n -ge 1 ]
	jq -r .msg "$BATS_TEST_TMPDIR/out"
	[[ "$(jq -r .msg "$BATS_TEST_TMPDIR/out")" == *"No space left on device"* ]]
	[ "$(ls "$DATA/t" | grep -c '^10\.')" = $n ]
	for i in $(seq 0 $((n - 1))); do grep -q "^c$i"$'\r' "$DATA/t/10.88.0.$((i + 2))"; done
	umount "$DATA"
}
