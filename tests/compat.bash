# Differential tests of the ip, iptables and sysctl personalities: a script
# runs twice, each time in a fresh scripts/sandbox of its own, once with the
# real iproute2/iptables/procps and once with only nsbox's links on PATH;
# the kernel state each run leaves is read with the real tools by absolute
# path and must be the same.

REAL_IP=/usr/sbin/ip
[ -x "$REAL_IP" ] || REAL_IP=/sbin/ip
SANDBOX="$BATS_TEST_DIRNAME/../scripts/sandbox"

# the directory that is the whole PATH of an nsbox run: ip, iptables and
# sysctl are nsbox; the few other tools scripts call are the real ones
compat_dir() {
	CDIR="$BATS_TEST_TMPDIR/compat"
	mkdir -p "$CDIR"
	"$NSBOX" --install -s --compat "$CDIR"
	local t
	for t in ping socat cat sleep timeout sort sh ss grep jq ls wc; do
		ln -sf "$(command -v $t)" "$CDIR/$t"
	done
}

# everything a script can change, normalised: what is random (MACs,
# ifindexes, link-local IPv6, lifetimes) is left out
compat_state() {
	local ns
	for ns in "" $(ls /run/netns 2>/dev/null | sort); do
		local n=${ns:+-n $ns}
		echo "== netns ${ns:-host}"
		$REAL_IP $n -d -j link show | jq -c '[.[] | {ifname, kind: .linkinfo.info_kind,
			slave: .linkinfo.info_slave_kind, link, master, flags: (.flags | sort), mtu,
			operstate, qdisc, txqlen, group, linkmode}] | sort_by(.ifname)[]'
		$REAL_IP $n -j addr show | jq -c '[.[] | {ifname, a: [.addr_info[] |
			select(.family == "inet" or .scope != "link") | {family, local, prefixlen,
			broadcast, scope, label: .label, secondary, dynamic, nodad, noprefixroute,
			home}]}] | sort_by(.ifname)[]'
		$REAL_IP $n -j route show table main | jq -c '.[]'
		$REAL_IP $n -6 -j route show table main | jq -c '.[] | select(.dst | startswith("fe80") | not)'
		# the other tables but local (ip names the table only there)
		$REAL_IP $n -j route show table all | jq -c '.[] | select(.table and .table != "local")'
		$REAL_IP $n -6 -j route show table all | jq -c '.[] | select(.table and .table != "local")'
		if [ -n "$ns" ]; then
			$REAL_IP netns exec "$ns" /usr/sbin/nft -j list ruleset | jq -c "$COMPAT_NFTNORM"
			$REAL_IP netns exec "$ns" cat /proc/sys/net/ipv4/ip_forward
		else
			/usr/sbin/nft -j list ruleset | jq -c "$COMPAT_NFTNORM"
			cat /proc/sys/net/ipv4/ip_forward
		fi
	done
}

# the rules nft -j reads (iptables-nft's tables ip nat and ip filter,
# nsbox's table ip nsbox), each as its family, chain, its matches (sorted:
# iptables-nft puts the interface first) and its target's kind
# (iptables-nft's is an xt target, whose address nft -j does not show: -S
# and traffic check those), and the base chains whose policy is drop.
# iptables-nft's conntrack and state matches are xt matches nft -j does not
# show: nsbox's own ct state matches and multiport's port sets are left out
# beside them (-S and traffic check those too), and so is any l4proto match
# of tcp or udp (nft shows one only where no tcp or udp header match follows
# it directly; -S checks -p).
COMPAT_NFTNORM='[.nftables[] | (select(.rule) | .rule | {family, chain: (.chain | ascii_downcase),
	match: ([.expr[] | select(has("match")) | select(.match.left.ct == null and
		((.match.right | type) != "object" or (.match.right | has("set") | not))) |
		select(.match.left.meta.key != "l4proto" or (.match.right | IN("tcp", "udp") | not))] |
		sort_by(tojson)),
	target: [.expr[] | (.xt.name // keys[0]) | ascii_downcase |
		select(IN("snat", "dnat", "masquerade", "accept", "drop", "reject", "log", "jump",
			  "return"))]}),
	(select(.chain.policy == "drop") | .chain | {family, hook, policy})] | sort_by(tojson)[]'

# compat_run real|nsbox OUT SCRIPT [ARG...]: SCRIPT under /bin/sh in a fresh
# sandbox; OUT gets the state, OUT.out / OUT.err / OUT.rc what it printed
compat_run() {
	local mode=$1 out=$2
	shift 2
	NSBOX_COMPAT_MODE=$mode CDIR="$CDIR" REAL_IP=$REAL_IP OUT=$out COMPAT_NFTNORM=$COMPAT_NFTNORM \
		"$SANDBOX" bash -c "$(declare -f compat_state)"'
		if [ "$NSBOX_COMPAT_MODE" = nsbox ]; then
			PATH="$CDIR" /bin/sh "$@" >"$OUT.out" 2>"$OUT.err" </dev/null
		else
			/bin/sh "$@" >"$OUT.out" 2>"$OUT.err" </dev/null
		fi
		echo $? >"$OUT.rc"
		# carrier and operstate settle asynchronously (linkwatch):
		# (linkwatch batches events up to a second): read until two reads
		# a second apart agree, within a bound
		compat_state >"$OUT"
		for i in $(seq 15); do
			sleep 1.1
			compat_state >"$OUT.again"
			cmp -s "$OUT" "$OUT.again" && break
			mv "$OUT.again" "$OUT"
		done' _ "$@"
}

# compat_same SCRIPT [ARG...]: the real tools' run succeeds, and both runs
# exit alike, print the same stdout and stderr (masked: compat_mask, ping's
# timings) and leave the same state (compat_state, with the NAT rules nft
# -j reads).  compat_fails: the same, for a script whose real run is
# expected to fail.  COMPAT_STDERR=any (set in a case, with a comment why)
# leaves stderr out of the comparison where the message text differs.
compat_same() { compat_check 0 "$@"; }
compat_fails() { compat_check 1 "$@"; }
compat_check() {
	local d="$BATS_TEST_TMPDIR" expect_fail=$1 m
	shift
	compat_run real "$d/real" "$@"
	compat_run nsbox "$d/nsbox" "$@"
	if [ "$expect_fail" = 0 ] && [ "$(cat "$d/real.rc")" != 0 ]; then
		echo "the real tools failed (exit $(cat "$d/real.rc")):"; cat "$d/real.err"
		return 1
	fi
	if [ "$expect_fail" = 1 ] && [ "$(cat "$d/real.rc")" = 0 ]; then
		echo "the real tools succeeded where the case expects failure"; return 1
	fi
	diff "$d/real.rc" "$d/nsbox.rc"
	for m in real nsbox; do
		grep -vE '^(64 bytes|rtt |PING |[0-9]+ packets)' "$d/$m.out" | compat_mask >"$d/$m.o2" || true
		compat_mask <"$d/$m.err" >"$d/$m.e2"
	done
	diff -u "$d/real.o2" "$d/nsbox.o2"
	[ "${COMPAT_STDERR:-}" = any ] || diff -u "$d/real.e2" "$d/nsbox.e2"
	diff -u "$d/real" "$d/nsbox"
	[ -s "$d/real" ]
}

# the same script text, written to a file (for heredocs in tests)
compat_script() {
	cat >"$BATS_TEST_TMPDIR/script.sh"
	echo "$BATS_TEST_TMPDIR/script.sh"
}

# random parts of ip's text: MACs, ifindexes, lifetimes
compat_mask() {
	sed -E 's/([0-9a-f]{2}:){5}[0-9a-f]{2}/MAC/g; s/^[0-9]+: /N: /; s/@if[0-9]+/@ifN/;
		s/(valid|preferred)_lft [0-9a-z]+/\1_lft T/g; s/"ifindex":[0-9]+/"ifindex":N/g;
		s/"link_index":[0-9]+/"link_index":N/g'
}
