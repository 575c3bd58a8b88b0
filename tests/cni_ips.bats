#!/usr/bin/env bats
# host-local's requested addresses (the reference plugin's three ways: the
# ips capability as runtimeConfig.ips, args.cni.ips, CNI_ARGS IP=), each
# case the same ADD to the reference host-local of containernetworking-
# plugins (/usr/lib/cni) and to nsbox's, each on a store of its own: same
# exit status, error code, addresses, and store (its files and what they
# hold); then once through bridge, the address read back with ip -j.

load helper
bats_require_minimum_version 1.5.0

REF=/usr/lib/cni
RUNTIME="$BATS_TEST_DIRNAME/../build/cni-runtime"
# two range sets: 10.1.2.10-20 and 10.1.3.0/24 (gateway 10.1.3.1), and IPv6
RANGES='"ranges":[[{"subnet":"10.1.2.0/24","rangeStart":"10.1.2.10","rangeEnd":"10.1.2.20"},{"subnet":"10.1.3.0/24"}],[{"subnet":"fd00:1::/64"}]]'

setup_world() {
	[ -x $REF/host-local ] || fail "containernetworking-plugins missing (scripts/deps installs it)"
	PLUG="$BATS_TEST_TMPDIR/cni"
	mkdir -p "$PLUG"
	"$NSBOX" --install -s --cni "$PLUG"
}

# add WHO ID EXTRA [CNI_ARGS]: host-local ADD, the reference's (WHO ref) or
# nsbox's (ours), on store $BATS_TEST_TMPDIR/WHO; EXTRA is added to the
# config's top level.  $status and $output as run leaves them.
add() {
	local bin=$REF/host-local cfg
	[ "$1" = ref ] || bin=$PLUG/host-local
	cfg='{"cniVersion":"1.0.0","name":"n","type":"host-local",'${3:+$3,}'"ipam":{"type":"host-local","dataDir":"'$BATS_TEST_TMPDIR/$1'",'$RANGES'}}'
	run env CNI_COMMAND=ADD CNI_CONTAINERID="$2" CNI_NETNS=/run/netns/c1 CNI_IFNAME=eth0 \
		CNI_PATH="$PLUG" CNI_ARGS="${4:-}" "$bin" <<<"$cfg"
}

# store WHO: "FILE=BYTES" for each file of the store, lock included
store() {
	local f
	for f in "$BATS_TEST_TMPDIR/$1/n"/*; do
		[ -e "$f" ] || continue
		printf '%s=%s\n' "${f##*/}" "$(od -An -c "$f" | tr -s ' \n' ' ')"
	done
}

# same ID EXTRA [CNI_ARGS]: the same ADD to both; exit status, error code,
# addresses and stores must match.  Sets RES (status, code, addresses),
# MSG and REFMSG (nsbox's and the reference's error messages).
same() {
	local got=()
	for w in ref ours; do
		add $w "$@"
		got+=("$status $(jq -c '[.code, [.ips[]?.address]]' <<<"$output")")
		[ $w = ref ] && REFMSG=$(jq -r '.msg // empty' <<<"$output")
	done
	RES=${got[1]}
	MSG=$(jq -r '.msg // empty' <<<"$output")
	[ "${got[0]}" = "${got[1]}" ] && [ "$(store ref)" = "$(store ours)" ] && return 0
	printf 'reference: %s (%s)\n    nsbox: %s (%s)\n' "${got[0]}" "$REFMSG" "${got[1]}" "$MSG"
	diff <(store ref) <(store ours)
	return 1
}

# refused CODE MSG ID EXTRA [CNI_ARGS]: same, exit status 1 with error CODE;
# nsbox's message is MSG, and the reference's starts with it
refused() {
	local code=$1 msg=$2
	shift 2
	same "$@"
	[ "$RES" = "1 [$code,[]]" ] || { echo "$RES"; return 1; }
	[ "$MSG" = "$msg" ] || { echo "message: $MSG"; return 1; }
	[[ $REFMSG == "$msg"* ]] || { echo "the reference's: $REFMSG"; return 1; }
}

@test "ips capability (runtimeConfig.ips), CIDR and plain, dual stack: both sets take theirs" {
	same a '"runtimeConfig":{"ips":["10.1.3.7/24","fd00:1::9"]}'
	[ "$RES" = '0 [null,["10.1.3.7/24","fd00:1::9/64"]]' ]
	# last_reserved_ip.N moves to a requested address too
	[ "$(cat "$BATS_TEST_TMPDIR/ours/n/last_reserved_ip.0")" = 10.1.3.7 ]
	[ "$(cat "$BATS_TEST_TMPDIR/ours/n/fd00:1::9")" = $'a\r\neth0' ]
	# the next ADD goes on from there, in both
	same b
	[ "$RES" = '0 [null,["10.1.3.8/24","fd00:1::a/64"]]' ]
}

@test "args.cni.ips: one set takes its request, the other allocates as usual" {
	same a '"args":{"cni":{"ips":["10.1.2.12"]}}'
	[ "$RES" = '0 [null,["10.1.2.12/24","fd00:1::2/64"]]' ]
	same b '"args":{"cni":{"ips":["fd00:1::77/64"]}}'
	[ "$RES" = '0 [null,["10.1.2.13/24","fd00:1::77/64"]]' ]
}

@test "CNI_ARGS IP= (with IgnoreUnknown, in any case, and other keys, however long); an empty IP= asks nothing" {
	same a '' 'IgnoreUnknown=1;K8S_POD_NAME=p;IP=10.1.3.5'
	[ "$RES" = '0 [null,["10.1.3.5/24","fd00:1::2/64"]]' ]
	same b '' 'FOO=bar;IP=fd00:1::5/64;IgnoreUnknown=TRUE'
	[ "$RES" = '0 [null,["10.1.3.6/24","fd00:1::5/64"]]' ]
	same c '' 'IP='
	[ "$RES" = '0 [null,["10.1.3.7/24","fd00:1::6/64"]]' ]
	# however long (no buffer cuts it)
	same d '' "K8S_POD_NAME=$(printf '%05000d' 0);IgnoreUnknown=1;IP=10.1.3.50"
	[ "$RES" = '0 [null,["10.1.3.50/24","fd00:1::7/64"]]' ]
}

@test "the three ways together; one address asked twice counts once" {
	same a '"args":{"cni":{"ips":["10.1.2.14"]}},"runtimeConfig":{"ips":["10.1.2.14/24","fd00:1::44"]}' 'IP=fd00:1::44'
	[ "$RES" = '0 [null,["10.1.2.14/24","fd00:1::44/64"]]' ]
	# DEL releases them
	for w in ref ours; do
		bin=$REF/host-local
		[ $w = ref ] || bin=$PLUG/host-local
		CNI_COMMAND=DEL CNI_CONTAINERID=a CNI_NETNS=/run/netns/c1 CNI_IFNAME=eth0 CNI_PATH="$PLUG" "$bin" \
			<<<'{"cniVersion":"1.0.0","name":"n","type":"host-local","ipam":{"type":"host-local","dataDir":"'$BATS_TEST_TMPDIR/$w'",'$RANGES'}}'
	done
	[ "$(store ref)" = "$(store ours)" ]
	[ ! -e "$BATS_TEST_TMPDIR/ours/n/10.1.2.14" ]
}

@test "refused: outside every range (before rangeStart too); the sets' addresses released" {
	refused 999 "failed to allocate all requested IPs: 10.9.9.9" a '"runtimeConfig":{"ips":["10.9.9.9"]}'
	refused 999 "failed to allocate all requested IPs: 10.1.2.5" a '"args":{"cni":{"ips":["10.1.2.5"]}}'
	refused 999 "failed to allocate all requested IPs: fd00:2::1" a '' 'IP=fd00:2::1'
	# nothing of a's is left (last_reserved_ip.N moved, as the reference);
	# the store is there to be read (a missing one holds nothing of a's too)
	st=$(store ours)
	[[ $st == *lock=* && $st == *last_reserved_ip.0=* ]] || fail "store: $st"
	! grep -q 'a \\r \\n' <<<"$st"
}

@test "refused: an address another container holds; the same container asking twice" {
	same a '"runtimeConfig":{"ips":["10.1.2.12"]}'
	refused 999 "failed to allocate for range 0: requested IP address 10.1.2.12 is not available" \
		b '"runtimeConfig":{"ips":["10.1.2.12"]}'
	refused 999 "failed to allocate for range 1: requested IP address fd00:1::2 is not available" \
		b '' 'IP=fd00:1::2'
	# a again, the same request: refused by both, a keeps its addresses
	same a '"runtimeConfig":{"ips":["10.1.2.12"]}'
	[ "$RES" = '1 [999,[]]' ]
	[ "$MSG" = "a/eth0 has an address already, duplicate allocation is not allowed" ]
	[ "$(cat "$BATS_TEST_TMPDIR/ours/n/10.1.2.12")" = $'a\r\neth0' ]
}

@test "refused: a gateway, two requests in one set" {
	same a '"runtimeConfig":{"ips":["10.1.3.1"]}'
	[ "$RES" = '1 [999,[]]' ]
	[ "$MSG" = "failed to allocate for range 0: requested IP address 10.1.3.1 is not available" ]
	[ "$REFMSG" = "failed to allocate for range 0: requested ip 10.1.3.1 is subnet's gateway" ]
	# the reference takes either (a map): what it reserved, and its
	# last_reserved_ip.0, vary; no address file stays in either
	for w in ref ours; do
		add $w a '"runtimeConfig":{"ips":["10.1.2.12","10.1.3.5"]}'
		[ "$status" = 1 ]
		[ "$(jq .code <<<"$output")" = 999 ]
		nothing store_ips "$BATS_TEST_TMPDIR/$w/n"
	done
	[ "$(jq -r .msg <<<"$output")" = "failed to allocate all requested IPs: 10.1.3.5" ]
}

@test "refused: CNI_ARGS not KEY=VALUE, unknown keys without IgnoreUnknown, a bad address" {
	refused 999 'ARGS: invalid pair "IP"' a '' 'IP'
	refused 999 'ARGS: invalid pair ""' a '' 'IP=10.1.2.12;'
	refused 999 'ARGS: unknown args ["FOO=bar"]' a '' 'FOO=bar;IP=10.1.2.12'
	refused 999 'ARGS: unknown args ["ip=10.1.2.12"]' a '' 'ip=10.1.2.12;IgnoreUnknown=0'
	refused 999 'ARGS: error parsing value of pair "IP=bogus"' a '' 'IP=bogus'
	refused 999 'ARGS: error parsing value of pair "IP=10.1.2.12,10.1.2.13"' a '' 'IP=10.1.2.12,10.1.2.13'
	[ ! -e "$BATS_TEST_TMPDIR/ours/n/10.1.2.12" ]
}

@test "refused: an ips value that is no address (code 7 where the reference says 999)" {
	for ips in '["bogus"]' '[""]' '[5]' '"10.1.2.12"'; do
		for w in ref ours; do
			add $w a '"runtimeConfig":{"ips":'"$ips"'}'
			[ "$status" = 1 ]
		done
		[ "$(jq -c '[.code, .msg, .details]' <<<"$output")" = '[7,"invalid network config","ips"]' ]
		[ ! -e "$BATS_TEST_TMPDIR/ours/n/10.1.2.12" ]
	done
}

@test "through bridge and libcni's ips capability: the container has the address, as with the reference" {
	[ -x "$RUNTIME" ] || fail "build/cni-runtime missing (make build/cni-runtime)"
	[ -x $REF/bridge ] || fail "containernetworking-plugins missing (scripts/deps installs it)"
	ip netns add c1
	for dir in $REF $PLUG; do
		cat > "$BATS_TEST_TMPDIR/net.conflist" <<EOF
{"cniVersion":"1.0.0","name":"ipsnet","plugins":[
 {"type":"bridge","bridge":"cni0","isGateway":true,"capabilities":{"ips":true},
  "ipam":{"type":"host-local","dataDir":"$BATS_TEST_TMPDIR/br",$RANGES}}]}
EOF
		CNI_PATH=$dir CNI_CACHE="$BATS_TEST_TMPDIR/cache" run -0 "$RUNTIME" add \
			"$BATS_TEST_TMPDIR/net.conflist" c1id /run/netns/c1 eth0 '{"ips":["10.1.3.9/24","fd00:1::99/64"]}'
		[ "$(jq -c '[.ips[].address]' <<<"$output")" = '["10.1.3.9/24","fd00:1::99/64"]' ]
		got=$(ip -n c1 -j addr show eth0 | jq -c '[.[0].addr_info[] | select(.scope == "global") | "\(.local)/\(.prefixlen)"]')
		[ "$got" = '["10.1.3.9/24","fd00:1::99/64"]' ]
		[ "$(cat "$BATS_TEST_TMPDIR/br/ipsnet/10.1.3.9")" = $'c1id\r\neth0' ]
		CNI_PATH=$dir CNI_CACHE="$BATS_TEST_TMPDIR/cache" run -0 "$RUNTIME" del \
			"$BATS_TEST_TMPDIR/net.conflist" c1id /run/netns/c1 eth0 '{"ips":["10.1.3.9/24","fd00:1::99/64"]}'
		[ ! -e "$BATS_TEST_TMPDIR/br/ipsnet/10.1.3.9" ]
		ip link del cni0
	done
	# refused through bridge: nothing of the container is left
	CNI_PATH=$PLUG CNI_CACHE="$BATS_TEST_TMPDIR/cache" run -1 "$RUNTIME" add \
		"$BATS_TEST_TMPDIR/net.conflist" c1id /run/netns/c1 eth0 '{"ips":["10.9.9.9"]}'
	[[ $output == *"failed to allocate all requested IPs: 10.9.9.9"* ]]
	nothing jqr '.[] | select(.ifname == "eth0") | .ifname' ip -n c1 -j link
	nothing store_ips "$BATS_TEST_TMPDIR/br/ipsnet"
}
