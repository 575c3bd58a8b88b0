#!/usr/bin/env bats
# What podman's and containerd's stock conflists need beyond bridge and
# portmap (issue 22): the tuning and firewall plugins, differentially
# against the reference plugins of the same names (/usr/lib/cni); the
# bridge's MAC address pinned; 127.0.0.1:hostPort with the CVE-2020-8558
# guard; IPv6 addresses usable at once (no DAD wait); nsbox's tables gone
# with the last rule.  Driven by libcni (build/cni-runtime), checked with
# ip -j, nft -j, /proc and traffic.

bats_require_minimum_version 1.5.0
load helper

RUNTIME="$BATS_TEST_DIRNAME/../build/cni-runtime"
REF=/usr/lib/cni

setup_world() {
	[ -x "$RUNTIME" ] || skip "build/cni-runtime missing (make build/cni-runtime)"
	PLUG="$BATS_TEST_TMPDIR/cni"
	mkdir -p "$PLUG"
	"$NSBOX" --install -s --cni "$PLUG"
	DATA="$BATS_TEST_TMPDIR/data"
	TUN="$BATS_TEST_TMPDIR/tuning"
	export CNI_CACHE="$BATS_TEST_TMPDIR/cache"
	ip netns add c1
	ip netns add c2
}

# a failed case's servers go too: one left holding bats' output would hold
# the case's report open until the sandbox's timeout
teardown() {
	local p
	p=$(jobs -p)
	[ -z "$p" ] || kill $p 2>/dev/null || true
}

# conflist [EXTRA_PLUGINS_JSON [SUBNET6]]: nsbox's bridge and portmap, then
# the given plugins (each may name its plugin directory: see mixed)
conflist() {
	local r='[{"subnet":"10.88.0.0/16"}]' rt='{"dst":"0.0.0.0/0"}'
	[ -z "${2:-}" ] || { r=$r',[{"subnet":"'$2'"}]'; rt=$rt',{"dst":"::/0"}'; }
	cat > "$BATS_TEST_TMPDIR/net.conflist" <<EOF
{"cniVersion":"1.0.0","name":"podman","plugins":[
 {"type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,"hairpinMode":true,
  "ipam":{"type":"host-local","dataDir":"$DATA","ranges":[$r],"routes":[$rt]}},
 {"type":"portmap","capabilities":{"portMappings":true}}${1:+,$1}]}
EOF
}

# rt DIR CMD ID NETNS IFNAME [PORTMAPS]: libcni with plugin directory DIR
rt() {
	local dir=$1
	shift
	CNI_PATH="$dir" "$RUNTIME" "$1" "$BATS_TEST_TMPDIR/net.conflist" "${@:2}"
}

# mixed: a directory with nsbox's plugins but the reference's tuning and
# firewall, so that a differential run changes only those
mixed() {
	MIX="$BATS_TEST_TMPDIR/mix"
	mkdir -p "$MIX"
	"$NSBOX" --install -s --cni "$MIX"
	ln -sf $REF/tuning $REF/firewall "$MIX/"
}

# plugin NAME CMD [ID NETNS] < config: the protocol by hand (DIR: $PDIR)
plugin() {
	CNI_COMMAND=$2 CNI_CONTAINERID=${3:-c1id} CNI_NETNS=${4:-/run/netns/c1} \
		CNI_IFNAME=eth0 CNI_PATH="${PDIR:-$PLUG}" "${PDIR:-$PLUG}/$1"
}

nothing_left() {
	nothing jqr '.[] | select(.ifname | startswith("veth")) | .ifname' ip -j link
	nothing jqr '.nftables[] | select(.table.name == "nsbox") | .table.family' nft -j list tables
}

@test "bridge MAC: set at creation (addr_assign_type set), unchanged when the port with the lowest address goes, another container's ping never pauses" {
	conflist
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	h1=$(jq -r '.interfaces[1].name' <<<"$output")
	run -0 rt "$PLUG" add c2id /run/netns/c2 eth0
	[ "$(cat /sys/class/net/cni0/addr_assign_type)" = 3 ]
	mac=$(ip -j link show cni0 | jq -r '.[0].address')
	[ "$(( 0x${mac:0:2} & 3 ))" = 2 ]	# locally administered unicast
	# c1's port has the lowest address of the bridge's ports
	ip link set "$h1" address 02:00:00:00:00:01
	[ "$(ip -j link show cni0 | jq -r '.[0].address')" = "$mac" ]
	ip netns exec c2 ping -c1 -W2 10.88.0.1
	ip netns exec c2 ping -i 0.05 -c 80 -W 1 10.88.0.1 > "$BATS_TEST_TMPDIR/ping" &
	pid=$!
	until_ok sh -c "[ \$(grep -c 'bytes from' '$BATS_TEST_TMPDIR/ping') -ge 15 ]"
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0
	wait $pid || true
	cat "$BATS_TEST_TMPDIR/ping"
	recv=$(grep -o '[0-9]* received' "$BATS_TEST_TMPDIR/ping" | cut -d' ' -f1)
	[ "$recv" -ge 79 ]
	[ "$(ip -j link show cni0 | jq -r '.[0].address')" = "$mac" ]
}

@test "bridge MAC: a bridge that was there is left as it is (its lowest port's address)" {
	conflist
	ip link add cni0 type bridge
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	[ "$(cat /sys/class/net/cni0/addr_assign_type)" != 3 ]
	h1=$(jq -r '.interfaces[1].name' <<<"$output")
	ip link set "$h1" address 02:00:00:00:00:01
	[ "$(ip -j link show cni0 | jq -r '.[0].address')" = 02:00:00:00:00:01 ]
}

@test "dual stack: the container's IPv6 address is nodad (never tentative), accept_dad left on" {
	conflist "" fd00:88::/64
	sed -i 's/"hairpinMode":true/"hairpinMode":false/' "$BATS_TEST_TMPDIR/net.conflist"
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	ip -n c1 -j -6 addr show dev eth0 | jq -e '.[0].addr_info[] | select(.local == "fd00:88::2" and .nodad == true and (.tentative | not))'
	[ "$(ip netns exec c1 cat /proc/sys/net/ipv6/conf/eth0/accept_dad)" = 1 ]
	ip netns exec c1 ping -6 -c1 -W2 fd00:88::1
}

# loopsvc: a service on the host's 127.0.0.1:9999 only
loopsvc() {
	socat TCP-LISTEN:9999,bind=127.0.0.1,fork,reuseaddr SYSTEM:'echo host-loopback' &
	until_ok sh -c "ss -Htln 'sport = :9999' | grep -q LISTEN"
}

# neighbour: namespace nb on cni0 (10.88.0.50), sending 127/8 to the bridge
neighbour() {
	ip netns add nb
	ip link add nbh type veth peer name nbc netns nb
	ip link set nbh master cni0 up
	ip -n nb addr add 10.88.0.50/16 dev nbc
	ip -n nb link set nbc up
	ip netns exec nb sh -c 'echo 1 > /proc/sys/net/ipv4/conf/nbc/route_localnet'
	ip -n nb route add 127.0.0.0/8 via 10.88.0.1 dev nbc
}

@test "127.0.0.1:hostPort: served from the host; route_localnet on the bridge only; the guard refuses 127/8 from another namespace, and is what refuses it" {
	conflist
	pm='[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]'
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0 "$pm"
	run -0 rt "$PLUG" check c1id /run/netns/c1 eth0 "$pm"
	ip netns exec c1 socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo hello-from-c1' &
	until_ok sh -c "ip netns exec c1 ss -Htln 'sport = :80' | grep -q LISTEN"
	[ "$(socat -T2 - TCP:127.0.0.1:18080 </dev/null)" = hello-from-c1 ]
	[ "$(cat /proc/sys/net/ipv4/conf/cni0/route_localnet)" = 1 ]
	for f in /proc/sys/net/ipv4/conf/*/route_localnet; do
		[ "$f" = /proc/sys/net/ipv4/conf/cni0/route_localnet ] || [ "$(cat "$f")" = 0 ]
	done
	nft -j list ruleset | jq -e '[.nftables[] | select(.rule.comment == "nsbox localnet guard") | .rule.expr[] | select(has("drop") or (.match.right | type == "object" and .prefix.addr == "127.0.0.0" and .prefix.len == 8))] | length == 2'
	loopsvc
	neighbour
	ip netns exec nb ping -c1 -W2 10.88.0.1
	# the guard drops: the connection times out (not refused, not a broken probe)
	blocked "Connection timed out" ip netns exec nb socat -T1 - TCP:127.0.0.1:9999,connect-timeout=1
	blocked "Connection timed out" ip netns exec nb socat -T1 - TCP:127.0.0.1:18080,connect-timeout=1
	nft -j list ruleset | jq -e '.nftables[] | select(.rule.comment == "nsbox localnet guard") | .rule.expr[] | select(.counter.packets > 0)'
	# the oracle is sound: without the guard the host's loopback answers
	h=$(nft -j -a list ruleset | jq '.nftables[] | select(.rule.comment == "nsbox localnet guard") | .rule.handle')
	nft delete rule ip nsbox guard handle "$h"
	[ "$(ip netns exec nb socat -T2 - TCP:127.0.0.1:9999 </dev/null)" = host-loopback ]
	run -1 rt "$PLUG" check c1id /run/netns/c1 eth0 "$pm"
	# the guard's chain left without its rule (as by hand here, or by an
	# older nsbox): the next ADD puts the rule back in it, and it refuses
	run -0 rt "$PLUG" add c2id /run/netns/c2 eth0 '[{"hostPort":18081,"containerPort":80,"protocol":"tcp"}]'
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule.chain == "guard" and .rule.comment == "nsbox localnet guard")] | length')" = 1 ]
	run -0 rt "$PLUG" check c1id /run/netns/c1 eth0 "$pm"
	blocked "Connection timed out" ip netns exec nb socat -T1 - TCP:127.0.0.1:9999,connect-timeout=1
	kill %1 %2
}

@test "127.0.0.1:hostPort: the guard and route_localnet stay while any mapping needs them and go with the last; snat false asks for neither" {
	conflist
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0 '[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]'
	run -0 rt "$PLUG" add c2id /run/netns/c2 eth0 '[{"hostPort":18081,"containerPort":80,"protocol":"tcp"}]'
	guards() { nft -j list ruleset | jq '[.nftables[] | select(.rule.comment == "nsbox localnet guard")] | length'; }
	[ "$(guards)" = 1 ]
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0
	[ "$(guards)" = 1 ]
	[ "$(cat /proc/sys/net/ipv4/conf/cni0/route_localnet)" = 1 ]
	# a mapping on one host address (no localnet) keeps the table: the
	# guard's chain still goes with the guard
	ip netns add c3
	run -0 rt "$PLUG" add c3id /run/netns/c3 eth0 '[{"hostPort":18082,"containerPort":80,"protocol":"tcp","hostIP":"192.0.2.1"}]'
	[ "$(guards)" = 1 ]
	# a rule not of a CNI attachment whose comment says " localnet " (an
	# interface so named) needs no guard and does not keep it
	natdnat -p tcp -i localnet 192.0.2.1:9000 10.0.0.9:80
	run -0 rt "$PLUG" del c2id /run/netns/c2 eth0
	[ "$(cat /proc/sys/net/ipv4/conf/cni0/route_localnet)" = 0 ]
	[ "$(guards)" = 0 ]
	nft -j list chains | jq -e '[.nftables[] | select(.chain.table == "nsbox")] | length > 0 and all(.chain.name != "guard")'
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule.comment | tostring | startswith("natdnat -p tcp -i localnet "))] | length')" = 1 ]
	natdnat -d -p tcp -i localnet 192.0.2.1:9000 10.0.0.9:80
	run -0 rt "$PLUG" del c3id /run/netns/c3 eth0
	nothing_left
	jq '.plugins[1].snat = false' "$BATS_TEST_TMPDIR/net.conflist" > "$BATS_TEST_TMPDIR/x"
	mv "$BATS_TEST_TMPDIR/x" "$BATS_TEST_TMPDIR/net.conflist"
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0 '[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]'
	[ "$(guards)" = 0 ]
	[ "$(cat /proc/sys/net/ipv4/conf/cni0/route_localnet)" = 0 ]
	nft -j list ruleset | jq -e '[.nftables[] | select(.rule.comment | tostring | test("hairpin|localnet"))] | length == 0'
}

@test "tables: the last DEL removes both nsbox tables; a table holding anything else stays; 16 parallel ADDs and DELs racing the removal lose nothing" {
	conflist '' fd00:88::/64
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0
	nothing_left
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	nft add set ip nsbox keep '{ type ipv4_addr; }'
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0
	[ "$(nft -j list tables | jq -r '[.nftables[] | select(.table.name == "nsbox") | .table.family] | join(",")')" = ip ]
	nft list set ip nsbox keep
	nft delete table ip nsbox
	# half of them go while the other half come: every survivor whole
	for i in $(seq 16); do ip netns add p$i; done
	for i in $(seq 8); do rt "$PLUG" add p$i /run/netns/p$i eth0 >/dev/null; done
	for i in $(seq 8); do
		rt "$PLUG" del p$i /run/netns/p$i eth0 &
		rt "$PLUG" add p$((i + 8)) /run/netns/p$((i + 8)) eth0 >/dev/null &
	done
	wait
	for i in $(seq 9 16); do rt "$PLUG" check p$i /run/netns/p$i eth0; done
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -eq 16 ]
	for i in $(seq 9 16); do rt "$PLUG" del p$i /run/netns/p$i eth0 & done
	wait
	nothing_left
}

@test "tables: the last DEL leaves table ip nsbox to iptables' filter chains (a FORWARD policy of DROP, a user chain and their rules stay)" {
	conflist
	"$NSBOX" iptables -P FORWARD DROP
	"$NSBOX" iptables -N mych
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	"$NSBOX" iptables -A FORWARD -o cni0 -j mych
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0
	[ "$(nft -j list chains | jq -c '[.nftables[] | select(.chain.table == "nsbox" and
		(.chain.name | IN("FORWARD", "mych"))) | [.chain.name, .chain.policy]] | sort')" = '[["FORWARD","drop"],["mych",null]]' ]
	[ "$(nft -j list ruleset | jq -r '.nftables[] | select(.rule) | .rule.comment')" = '-A FORWARD -o cni0 -j mych' ]
	nothing jqr '.[] | select(.ifname | startswith("veth")) | .ifname' ip -j link
}

# tuning's part of the kernel state (the address apart: see tmac)
tstate() {
	ip -n c1 -j link show eth0 | jq -c '.[0] | {ifname, mtu, flags, txqlen}'
	ip netns exec c1 cat /proc/sys/net/ipv4/conf/eth0/arp_filter /proc/sys/net/core/somaxconn
}
tmac() { ip -n c1 -j link show eth0 | jq -r '.[0].address'; }

@test "tuning, as the reference: sysctls in the container only, mac, mtu, promisc, allmulti; the result's mac; DEL restores; each plugin's DEL reads the other's backup" {
	[ -x $REF/tuning ] || skip "containernetworking-plugins missing"
	mixed
	tun='{"type":"tuning","dataDir":"'$TUN'","sysctl":{"net.ipv4.conf.IFNAME.arp_filter":"1","net.core.somaxconn":"321"},"mac":"02:aa:bb:cc:dd:ee","mtu":1400,"promisc":true,"allmulti":true}'
	conflist "$tun"
	host=$(cat /proc/sys/net/core/somaxconn)
	local st=() res=()
	for d in "$MIX" "$PLUG"; do
		run -0 rt "$d" add c1id /run/netns/c1 eth0
		res+=("$(jq -c '.interfaces[2] | {name, mac}' <<<"$output")")
		st+=("$(tstate; tmac)")
		# Debian's reference (1.1.1) CHECK reads IFNAME in a key literally
		[ "$d" = "$MIX" ] || run -0 rt "$d" check c1id /run/netns/c1 eth0
		# DEL of tuning alone: the interface as it was
		jq -c '{cniVersion, name} + .plugins[2]' "$BATS_TEST_TMPDIR/net.conflist" > "$BATS_TEST_TMPDIR/t"
		PDIR=$d run -0 plugin tuning DEL < "$BATS_TEST_TMPDIR/t"
		st+=("$(tstate)")
		[ "$(tmac)" != 02:aa:bb:cc:dd:ee ]
		[ ! -e "$TUN/c1id_eth0.json" ]
		run -0 rt "$d" del c1id /run/netns/c1 eth0
	done
	[ "$(cat /proc/sys/net/core/somaxconn)" = "$host" ]
	grep -q '"mtu":1400' <<<"${st[0]}"
	diff <(echo "${st[0]}") <(echo "${st[2]}")
	diff <(echo "${st[1]}") <(echo "${st[3]}")
	[ "${res[0]}" = "${res[1]}" ]
	[ "$(jq -r .mac <<<"${res[1]}")" = 02:aa:bb:cc:dd:ee ]
	# ADD by one, DEL by the other: the backup is one format
	for pair in "$PLUG $MIX" "$MIX $PLUG"; do
		set -- $pair
		run -0 rt "$1" add c1id /run/netns/c1 eth0
		orig=$(jq -r '.interfaces[2].mac' <<<"$output")
		jq -c '{cniVersion, name} + .plugins[2]' "$BATS_TEST_TMPDIR/net.conflist" > "$BATS_TEST_TMPDIR/t"
		PDIR=$2 run -0 plugin tuning DEL < "$BATS_TEST_TMPDIR/t"
		ip -n c1 -j link show eth0 | jq -e '.[0] | .mtu == 1500 and (.flags | index("PROMISC") | not)'
		[ "$(ip -n c1 -j link show eth0 | jq -r '.[0].address')" != 02:aa:bb:cc:dd:ee ]
		run -0 rt "$1" del c1id /run/netns/c1 eth0
	done
}

@test "tuning errors, as the reference: a sysctl outside net (or escaping it) refused with 999 and nothing written; no prevResult 999; bad mac 999" {
	[ -x $REF/tuning ] || skip "containernetworking-plugins missing"
	conflist
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	prev=$output
	host=$(cat /proc/sys/kernel/hostname)
	for key in kernel.hostname ../kernel/hostname net/../../kernel/hostname; do
		cfg=$(jq -nc --arg k "$key" --argjson p "$prev" '{cniVersion:"1.0.0",name:"podman",type:"tuning",sysctl:{($k):"x"},prevResult:$p}')
		for d in $REF "$PLUG"; do
			PDIR=$d run -1 plugin tuning ADD <<<"$cfg"
			[ "$(jq .code <<<"$output")" = 999 ] || { echo "$d $key $output"; false; }
		done
	done
	[ "$(cat /proc/sys/kernel/hostname)" = "$host" ]
	for cfg in '{"cniVersion":"1.0.0","name":"podman","type":"tuning","mtu":1400}' \
		   "$(jq -nc --argjson p "$prev" '{cniVersion:"1.0.0",name:"podman",type:"tuning",mac:"zz",prevResult:$p}')"; do
		for d in $REF "$PLUG"; do
			PDIR=$d run -1 plugin tuning ADD <<<"$cfg"
			[ "$(jq .code <<<"$output")" = 999 ]
		done
	done
	run -1 plugin tuning ADD <<<"$(jq -nc --argjson p "$prev" '{cniVersion:"1.0.0",name:"podman",type:"tuning",mac:"zz",prevResult:$p}')"
	[ "$(jq -r .msg <<<"$output")" = "invalid args zz for MAC addr" ]
	# a failed ADD leaves the sysctls it wrote as they were
	was=$(ip netns exec c1 cat /proc/sys/net/core/somaxconn)
	run -1 plugin tuning ADD <<<"$(jq -nc --argjson p "$prev" '{cniVersion:"1.0.0",name:"podman",type:"tuning",sysctl:{"net.core.somaxconn":"77","net.no.such":"1"},prevResult:$p}')"
	[ "$(ip netns exec c1 cat /proc/sys/net/core/somaxconn)" = "$was" ]
}

@test "tuning, nsbox's own: txQLen and ifname (renamed, the result's name; DEL gives the old name back and the bridge's DEL finds it)" {
	conflist '{"type":"tuning","dataDir":"'$TUN'","txQLen":500,"ifname":"net0"}'
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	[ "$(jq -r '.interfaces[2].name' <<<"$output")" = net0 ]
	ip -n c1 -j link show net0 | jq -e '.[0].txqlen == 500'
	jq -c '{cniVersion, name} + .plugins[2] + {prevResult: $r}' --argjson r "$output" "$BATS_TEST_TMPDIR/net.conflist" > "$BATS_TEST_TMPDIR/t"
	fails 1 'Device "eth0" does not exist.' ip -n c1 link show eth0
	run -0 plugin tuning CHECK < "$BATS_TEST_TMPDIR/t"
	ip -n c1 link set net0 txqueuelen 600
	run -1 plugin tuning CHECK < "$BATS_TEST_TMPDIR/t"
	[[ $(jq -r .msg <<<"$output") == *"txQLen of net0 is 500, current value is 600" ]]
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0
	fails 1 'Device "eth0" does not exist.' ip -n c1 link show eth0
	fails 1 'Device "net0" does not exist.' ip -n c1 link show net0
	nothing_left
	nothing ls "$TUN"
}

@test "firewall, as the reference's iptables backend: accepts to and from each address (counted by traffic), CHECK misses a deleted rule (999), DEL drops them; versions before 0.4.0 and firewalld refused" {
	conflist '{"type":"firewall","backend":"iptables"}' fd00:88::/64
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0
	rules=$(nft -j list ruleset | jq -c '[.nftables[] | select(.rule.chain == "forward") | .rule | [.family, (.comment | sub("^firewall podman c1id eth0 "; ""))]] | sort')
	[ "$rules" = '[["ip","from 10.88.0.2"],["ip","to 10.88.0.2"],["ip6","from fd00:88::2"],["ip6","to fd00:88::2"]]' ] || { echo "$rules"; false; }
	ip netns add out
	ip link add up0 type veth peer name up1 netns out
	ip addr add 192.0.2.1/24 dev up0 && ip link set up0 up
	ip -n out addr add 192.0.2.2/24 dev up1 && ip -n out link set up1 up
	ip netns exec c1 ping -c2 -W2 192.0.2.2
	for d in from to; do
		nft -j list ruleset | jq -e ".nftables[] | select(.rule.comment == \"firewall podman c1id eth0 $d 10.88.0.2\") | .rule.expr[] | select(.counter.packets >= 2)"
	done
	run -0 rt "$PLUG" check c1id /run/netns/c1 eth0
	h=$(nft -j -a list ruleset | jq '.nftables[] | select(.rule.comment == "firewall podman c1id eth0 to fd00:88::2") | .rule.handle')
	nft delete rule ip6 nsbox forward handle "$h"
	run -1 rt "$PLUG" check c1id /run/netns/c1 eth0
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0
	nothing_left
	prev='{"cniVersion":"0.3.1","ips":[{"version":"4","address":"10.88.0.9/16"}]}'
	for d in $REF "$PLUG"; do
		[ -x "$d/firewall" ] || continue
		PDIR=$d run -1 plugin firewall ADD <<<'{"cniVersion":"0.3.1","name":"podman","type":"firewall","prevResult":'"$prev"'}'
		[ "$(jq .code <<<"$output")" = 1 ]
	done
	run -1 plugin firewall ADD <<<'{"cniVersion":"1.0.0","name":"podman","type":"firewall","backend":"firewalld","prevResult":{"cniVersion":"1.0.0"}}'
	[ "$(jq -c '[.code, .msg]' <<<"$output")" = '[2,"unsupported field in network configuration: backend \"firewalld\""]' ]
}

# fwd_ok DIR: c1 reaches "out" through forwarding, with the firewall of
# DIR (status 1: no answer; 2: the attachment's ADD or DEL failed)
fwd_ok() {
	local r=0
	rt "$1" add c1id /run/netns/c1 eth0 >/dev/null || return 2
	ip netns exec c1 ping -c1 -W1 192.0.2.2 || r=$?
	rt "$1" del c1id /run/netns/c1 eth0 || return 2
	return $r
}
# fwd_dropped DIR: as fwd_ok, but nothing answers (an attachment that
# failed is not a drop)
fwd_dropped() {
	local r=0
	fwd_ok "$1" || r=$?
	[ $r = 1 ]
}

@test "firewall traffic against the reference: an administrator's drop in a table of its own wins over both; a FORWARD policy of DROP in iptables' own table is opened by the reference's accepts only (README)" {
	[ -x $REF/firewall ] || skip "containernetworking-plugins missing"
	mixed
	conflist '{"type":"firewall","backend":"iptables"}'
	ip netns add out
	ip link add up0 type veth peer name up1 netns out
	ip addr add 192.0.2.1/24 dev up0 && ip link set up0 up
	ip -n out addr add 192.0.2.2/24 dev up1 && ip -n out link set up1 up
	fwd_ok "$PLUG"
	fwd_ok "$MIX"
	# an administrator's drop policy in a table of its own: both drop
	nft add table inet admin
	nft add chain inet admin fw '{ type filter hook forward priority 10; policy drop; }'
	fwd_dropped "$PLUG"
	fwd_dropped "$MIX"
	nft delete table inet admin
	# iptables' FORWARD policy DROP: the reference's accepts are in that
	# very chain; nsbox's, in its own table, cannot undo another's drop
	iptables -P FORWARD DROP
	fwd_ok "$MIX"
	fwd_dropped "$PLUG"
	iptables -P FORWARD ACCEPT
}

@test "podman 4.3's default conflist (0.4.0: bridge, portmap, firewall, tuning with no options) with nsbox alone: ADD, CHECK, traffic, DEL leave nothing" {
	cat > "$BATS_TEST_TMPDIR/net.conflist" <<X
{"cniVersion":"0.4.0","name":"podman","plugins":[
 {"type":"bridge","bridge":"cni-podman0","isGateway":true,"ipMasq":true,"hairpinMode":true,
  "ipam":{"type":"host-local","dataDir":"$DATA","routes":[{"dst":"0.0.0.0/0"}],
          "ranges":[[{"subnet":"10.88.0.0/16","gateway":"10.88.0.1"}]]}},
 {"type":"portmap","capabilities":{"portMappings":true}},
 {"type":"firewall"},
 {"type":"tuning"}]}
X
	pm='[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]'
	run -0 rt "$PLUG" add c1id /run/netns/c1 eth0 "$pm"
	[ "$(jq -r '.ips[0].address' <<<"$output")" = 10.88.0.2/16 ]
	run -0 rt "$PLUG" add c2id /run/netns/c2 eth0
	run -0 rt "$PLUG" check c1id /run/netns/c1 eth0 "$pm"
	ip netns exec c1 socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo hello-from-c1' &
	until_ok sh -c "ip netns exec c1 ss -Htln 'sport = :80' | grep -q LISTEN"
	[ "$(ip netns exec c2 socat -T2 - TCP:10.88.0.1:18080 </dev/null)" = hello-from-c1 ]
	[ "$(socat -T2 - TCP:127.0.0.1:18080 </dev/null)" = hello-from-c1 ]
	kill %1
	run -0 rt "$PLUG" del c1id /run/netns/c1 eth0 "$pm"
	run -0 rt "$PLUG" del c2id /run/netns/c2 eth0
	nothing_left
	nothing store_ips "$DATA/podman"
}
