#!/usr/bin/env bats
# nsbox as iptables (nat table), differentially: each script runs with the
# real iptables (iptables-nft) and with only nsbox's links on PATH
# (tests/compat.bash); -S / -L text, exit codes and the traffic the rules
# let through must be the same.

load helper
load compat

setup_world() {
	compat_dir
}

@test "compat iptables: -S, -L -n, -L -v, -C, -D, -F text and exit codes" {
	compat_same "$(compat_script <<'S'
ip link add planet-br type bridge
iptables --table nat -A POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE
iptables -w -t nat -A PREROUTING -d 198.51.100.1 -p tcp -m tcp --dport 8000 -j DNAT --to-destination 10.10.0.10:8000
iptables -w 5 -t nat -A PREROUTING -i eth0 -p udp --dport 53:60 -j DNAT --to-destination 10.1.1.1
iptables -t nat -A POSTROUTING -s 10.0.0.0/8 -d 10.2.0.0/16 -o planet-br -j MASQUERADE
iptables -t nat -S; echo rc=$?
iptables -t nat -S POSTROUTING
iptables -t nat -L -n
iptables -t nat -L -n -v
iptables -t nat -L POSTROUTING -n
iptables -t nat -nvL; iptables -t nat -nL PREROUTING
iptables -t nat -C POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE; echo rc=$?
iptables -t nat -C POSTROUTING -s 10.9.0.0/16 -j MASQUERADE 2>&1; echo rc=$?
iptables -t nat -D POSTROUTING -s 10.9.0.0/16 -j MASQUERADE 2>&1; echo rc=$?
iptables -t nat -D POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE; echo rc=$?
iptables -t nat -F PREROUTING; iptables -t nat -S
iptables -t nat -F; iptables -t nat -S
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "compat iptables: -I puts the rule first, -I CHAIN N before rule N, one past the end appends" {
	compat_same "$(compat_script <<'S'
iptables -t nat -A PREROUTING -p tcp --dport 1 -j DNAT --to-destination 10.1.1.1
iptables -t nat -A PREROUTING -p tcp --dport 2 -j DNAT --to-destination 10.1.1.2
iptables -t nat -I PREROUTING -p tcp --dport 3 -j DNAT --to-destination 10.1.1.3
iptables -t nat -I PREROUTING 2 -p tcp --dport 4 -j DNAT --to-destination 10.1.1.4
iptables -t nat -I PREROUTING 5 -p tcp --dport 5 -j DNAT --to-destination 10.1.1.5; echo rc=$?
iptables -t nat -I PREROUTING 9 -p tcp --dport 6 -j DNAT --to-destination 10.1.1.6 2>/dev/null; echo rc=$?
iptables -t nat -I POSTROUTING 1 -s 10.9.0.0/16 -j MASQUERADE
iptables -t nat -I POSTROUTING -s 10.8.0.0/16 -j MASQUERADE
iptables -t nat -S
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	grep -q 'dport 3 -j DNAT --to-destination 10.1.1.3' "$BATS_TEST_TMPDIR/nsbox.out"
}

# the NAT rules as compat_state reads them (tests/compat.bash)
NFTNORM=$COMPAT_NFTNORM

# stdout of both runs the same, ping's timings aside
outs_same() {
	local m
	for m in real nsbox; do
		# ping's summary says how long it took ("time 15ms" under load)
		grep -vE '^(64 bytes|rtt )' "$BATS_TEST_TMPDIR/$m.out" |
			sed -E 's/, time [0-9]+ms$//' >"$BATS_TEST_TMPDIR/$m.o2" || true
	done
	diff "$BATS_TEST_TMPDIR/real.o2" "$BATS_TEST_TMPDIR/nsbox.o2"
}

@test "compat iptables: SNAT and ! on each match: -S, -L -n -v, nft -j's expressions, -D" {
	compat_same "$(compat_script <<S
iptables -t nat -A POSTROUTING ! -s 10.0.0.0/8 ! -d 10.2.0.0/16 ! -o br0 -j SNAT --to-source 1.2.3.4
iptables -t nat -A POSTROUTING -s 10.0.0.0/8 -p tcp ! --dport 80 -j MASQUERADE
iptables -w -t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4:80
iptables -t nat -A PREROUTING ! -i eth0 ! -p udp -j DNAT --to-destination 10.1.1.1
iptables -t nat -A PREROUTING -p udp ! --dport 53:60 -j DNAT --to-destination 10.1.1.1:99
iptables -t nat -A PREROUTING -d 10.7.0.0/16 -p tcp -m tcp --dport 80:90 -j DNAT --to-destination 10.1.1.2
iptables -t nat -I OUTPUT -o lo -p tcp --dport 7 -j DNAT --to-destination 10.1.1.1
iptables -t nat -A POSTROUTING -s 10.3.0.0/16 -o eth+ -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.4.0.0/16 ! -o veth+ -j MASQUERADE
iptables -t nat -A POSTROUTING -j SNAT --to-source fd00::1 2>/dev/null; echo rc=\$?
iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [fd00::1]:80 2>/dev/null; echo rc=\$?
iptables -t nat -A PREROUTING -p tcp --dport 80:70 -j DNAT --to-destination 1.2.3.4 2>/dev/null; echo rc=\$?
iptables -t nat -I PREROUTING 70000 -p tcp --dport 9 -j DNAT --to-destination 1.2.3.4 2>/dev/null; echo rc=\$?
iptables -t nat -S; iptables -t nat -L -n -v
/usr/sbin/nft -j list ruleset | /usr/bin/jq -c '$NFTNORM'
iptables -t nat -C PREROUTING -p udp ! --dport 53:60 -j DNAT --to-destination 10.1.1.1:99; echo rc=\$?
iptables -t nat -D PREROUTING -p udp ! --dport 53:60 -j DNAT --to-destination 10.1.1.1:99; echo rc=\$?
iptables -t nat -D POSTROUTING ! -s 10.0.0.0/8 ! -d 10.2.0.0/16 ! -o br0 -j SNAT --to-source 1.2.3.4
iptables -t nat -S
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	grep -q 'snat' "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "compat iptables: SNAT and negated matches by traffic (socat sees the SNAT address)" {
	command -v socat
	{ cat "$BATS_TEST_DIRNAME/../bench/ref/seed004_ip.sh"; cat <<'S'
iptables -t nat -D POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j SNAT --to-source 198.51.100.1
iptables -t nat -A PREROUTING ! -i planet-br -d 198.51.100.1 -p tcp ! --dport 22 -j DNAT --to-destination 10.10.0.10:8000
ip netns exec inet socat -T3 TCP-LISTEN:9000,reuseaddr SYSTEM:'echo from $SOCAT_PEERADDR' &
ip netns exec earth socat -T3 TCP-LISTEN:8000,reuseaddr,fork SYSTEM:'echo hi' &
i=0; until ip netns exec inet ss -ltn | grep -q ':9000 ' && ip netns exec earth ss -ltn | grep -q ':8000 '; do i=$((i+1)); [ $i -lt 50 ]; sleep 0.1; done
ip netns exec neptune socat -T3 -u TCP:192.0.2.53:9000 -
ip netns exec inet socat -T3 -u TCP:198.51.100.1:8123 -
ip netns exec inet socat -T1 -u TCP:198.51.100.1:22,connect-timeout=1 - 2>&1 | grep -o 'Connection refused'
iptables -t nat -nvL
iptables -t nat -D POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j SNAT --to-source 198.51.100.1
if ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null; then exit 9; fi
S
	} >"$BATS_TEST_TMPDIR/s.sh"
	VERIFY=1 compat_same "$BATS_TEST_TMPDIR/s.sh"
	outs_same
	grep -qx 'from 198.51.100.1' "$BATS_TEST_TMPDIR/nsbox.out"
	grep -qx hi "$BATS_TEST_TMPDIR/nsbox.out"
	# port 22 is not forwarded: the router itself refuses it
	grep -qx 'Connection refused' "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "compat iptables: masquerade and DNAT by traffic (seed 004 with a port forward served by socat)" {
	command -v socat
	{ cat "$BATS_TEST_DIRNAME/../bench/ref/seed004_ip.sh"; cat <<'S'
ip netns exec earth socat -T3 TCP-LISTEN:8000,reuseaddr SYSTEM:'echo hi' &
i=0; until ip netns exec earth ss -ltn | grep -q ':8000 '; do i=$((i+1)); [ $i -lt 50 ]; sleep 0.1; done
ip netns exec inet socat -T3 -u TCP:198.51.100.1:8000 -
ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null
iptables -t nat -D POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE
if ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null; then exit 9; fi
S
	} >"$BATS_TEST_TMPDIR/s.sh"
	VERIFY=1 compat_same "$BATS_TEST_TMPDIR/s.sh"
	grep -qx hi "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "nsbox iptables: rules shared with natmasq and natdnat (listed, deleted, -F of one chain)" {
	ln -sf "$NSBOX" "$CDIR/natmasq"
	ln -sf "$NSBOX" "$CDIR/natdnat"
	compat_run nsbox "$BATS_TEST_TMPDIR/n" "$(compat_script <<'S'
iptables -t nat -A POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.9.0.0/16 -j SNAT --to-source 192.0.2.1
iptables -t nat -A PREROUTING ! -i eth0 -p udp --dport 53 -j DNAT --to-destination 10.9.0.5
natmasq
natdnat
natmasq -j | jq -c '[.[] | {src, comment}]'
natmasq -d 10.10.0.0/16 -o '!planet-br'
natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000
iptables -t nat -F OUTPUT
iptables -t nat -S
S
)"
	diff - "$BATS_TEST_TMPDIR/n.out" <<'E'
10.10.0.0/16 -o !planet-br
-A POSTROUTING -s 10.9.0.0/16 -j SNAT --to-source 192.0.2.1
-A PREROUTING ! -i eth0 -p udp -m udp --dport 53 -j DNAT --to-destination 10.9.0.5
[{"src":"10.10.0.0/16","comment":"natmasq 10.10.0.0/16 -o !planet-br"},{"src":"10.9.0.0/16","comment":"-A POSTROUTING -s 10.9.0.0/16 -j SNAT --to-source 192.0.2.1"}]
-P PREROUTING ACCEPT
-P INPUT ACCEPT
-P OUTPUT ACCEPT
-P POSTROUTING ACCEPT
-A PREROUTING ! -i eth0 -p udp -m udp --dport 53 -j DNAT --to-destination 10.9.0.5
-A PREROUTING -d 198.51.100.1/32 -p tcp -m tcp --dport 8000 -j DNAT --to-destination 10.10.0.10:8000
-A POSTROUTING -s 10.9.0.0/16 -j SNAT --to-source 192.0.2.1
E
	[ "$(cat "$BATS_TEST_TMPDIR/n.rc")" = 0 ]
}

@test "nsbox iptables: a CNI plugin's rule in the chain is not iptables': not listed, not counted by -I N, not flushed" {
	local PATH="$CDIR"
	iptables -t nat -A POSTROUTING -s 10.1.0.0/16 -j SNAT --to-source 192.0.2.1
	/usr/sbin/nft add rule ip nsbox postrouting ip saddr 10.3.0.0/16 masquerade comment '"portmap net id eth0 x"'
	iptables -t nat -A POSTROUTING -s 10.4.0.0/16 -j SNAT --to-source 192.0.2.1
	iptables -t nat -I POSTROUTING 3 -s 10.5.0.0/16 -j SNAT --to-source 192.0.2.1
	run -1 iptables -t nat -I POSTROUTING 5 -s 10.6.0.0/16 -j SNAT --to-source 192.0.2.1
	[ "$(iptables -t nat -S POSTROUTING | /usr/bin/grep -o '10\.[0-9]\.0\.0' | /usr/bin/tr '\n' ' ')" = "10.1.0.0 10.4.0.0 10.5.0.0 " ]
	iptables -t nat -F POSTROUTING
	[ "$(/usr/sbin/nft -j list ruleset | /usr/bin/jq -c '[.nftables[] | select(.rule) | .rule.comment]')" = '["portmap net id eth0 x"]' ]
}

@test "nsbox iptables, ip, sysctl: --help and --version exit 0; what the user typed never breaks the one line" {
	local PATH="$CDIR"
	run -0 iptables --version
	[[ $output =~ ^iptables\ v1\.8\.[0-9]+\ \(nf_tables\) ]]
	for t in ip sysctl iptables; do
		run -0 "$t" --help
		[ "${#lines[@]}" = 1 ]
	done
	run -2 iptables -t "$(printf 'a\nb')" -L
	[ "${#lines[@]}" = 1 ]
	run -2 iptables -t nat -A POSTROUTING -o "$(printf 'x\ry')" -j MASQUERADE
	[ "${#lines[@]}" = 1 ]
	[[ $output != *$'\r'* ]]
}

@test "nsbox iptables: user chains and filter matches in nat, other tables, targets and matches: exit 2, one line" {
	local PATH="$CDIR"
	for args in "-t nat -N mychain" "-A INPUT -j MASQUERADE" "-t raw -S" "-N postrouting" \
		"-A INPUT -p tcp -m multiport ! --dports 80,443 -j ACCEPT" "-A INPUT -p gre -j ACCEPT" \
		"-A INPUT -p tcp --tcp-flags SYN SYN -j ACCEPT" "-A INPUT -p udp -j REJECT --reject-with tcp-reset" \
		"-A INPUT -j REJECT --reject-with icmp-foo" "-t nat -A PREROUTING -p tcp --syn -j DNAT --to-destination 1.1.1.1" \
		"-A INPUT -m addrtype --dst-type LOCAL -j ACCEPT" "-t nat -P PREROUTING DROP" \
		"-t nat -A POSTROUTING -j REDIRECT" "-t nat -A INPUT -j MASQUERADE" "-t nat -X" \
		"-t nat -A mychain -j MASQUERADE" "-t mangle -S" "-t nat -A POSTROUTING -m state --state NEW -j MASQUERADE" \
		"-t nat -A PREROUTING -p tcp ! --dport 1:2 -j SNAT --to-source 1.2.3.4" \
		"-t nat -A POSTROUTING ! -p tcp --dport 80 -j MASQUERADE" "-t nat -A POSTROUTING ! -s 0.0.0.0/0 -j MASQUERADE" \
		"-t nat -A PREROUTING -j DNAT --to-destination 127.0.0.1" \
		"-t nat -A POSTROUTING -s 10.0.0.0/255.0.255.0 -j MASQUERADE" "-t nat -A POSTROUTING -p tcp --sport 80 -j MASQUERADE" \
		"-t nat -A POSTROUTING -p tcp --source-port 80 -j MASQUERADE" "--table nat --new-chain x" \
		"-t nat -A PREROUTING -m addrtype --dst-type UNICAST -j DNAT --to-destination 1.1.1.1"; do
		# shellcheck disable=SC2086
		run iptables $args
		[ "$status" = 2 ] && [ "${#lines[@]}" = 1 ] && [[ "$output" == "iptables: "*"not supported by nsbox"* ]] ||
			fail "iptables $args: $status $output"
	done
	for args in "-t nat -A POSTROUTING -i eth0 -j MASQUERADE" "-t nat -A PREROUTING -o eth0 -j DNAT --to-destination 1.1.1.1" \
		"-t nat -A POSTROUTING -j SNAT" "-t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4:80" \
		"-t nat -A PREROUTING -p tcp -m udp --dport 80 -j DNAT --to-destination 1.1.1.1" \
		"-t nat -A POSTROUTING --dport 80 -j MASQUERADE" "-t nat -A POSTROUTING ! -j MASQUERADE" \
		"-t nat -D POSTROUTING 1 -j MASQUERADE" "-t nat -A POSTROUTING -j MASQUERADE -D POSTROUTING 1" \
		"-t nat -A POSTROUTING -j MASQUERADE foo" "-t nat -L -s 1.2.3.4" "-t nat --d POSTROUTING 1" \
		"-t nat -A PREROUTING -j DNAT --to-destination 1.2.3.4 --to 1.2.3.5" "-t nat --verbose=1 -L" \
		"-t nat -A POSTROUTING -s 10.0.0.0/33 -j MASQUERADE" "-t nat -A POSTROUTING -s 1.2.3.4/255.255.255.256 -j MASQUERADE" \
		"-t nat -A POSTROUTING -j MASQUERADE --to-source 1.2.3.4" "-t nat -D POSTROUTING 0" "-t nat -I POSTROUTING 1x -j MASQUERADE" \
		"-t nat -A PREROUTING -m addrtype -j DNAT --to-destination 1.1.1.1"; do
		# shellcheck disable=SC2086
		run iptables $args
		[ "$status" = 2 ] && [ "${#lines[@]}" = 1 ] || fail "iptables $args: $status $output"
		# shellcheck disable=SC2086
		run /usr/sbin/iptables $args
		[ "$status" = 2 ] || fail "real iptables $args: $status $output"
	done
	# what iptables takes and nsbox cannot say: -m addrtype but as natdnat's any local address
	for args in "-t nat -A POSTROUTING -m addrtype --dst-type LOCAL -j MASQUERADE" \
		"-t nat -A PREROUTING -d 10.0.0.0/8 -m addrtype --dst-type LOCAL -j DNAT --to-destination 1.1.1.1"; do
		# shellcheck disable=SC2086
		run iptables $args
		[ "$status" = 2 ] && [ "${#lines[@]}" = 1 ] && [[ "$output" == "iptables: -m addrtype: "* ]] ||
			fail "iptables $args: $status $output"
	done
	[ "$(/usr/sbin/nft -j list ruleset | /usr/bin/jq '[.nftables[] | select(.rule)] | length')" = 0 ]
}

@test "compat iptables: a script in long options only (-S, -L text, nft -j's expressions, --check, --delete, --flush)" {
	compat_same "$(compat_script <<S
iptables --wait --table nat --append POSTROUTING --source 10.1.0.0/16 ! --out-interface br0 --jump MASQUERADE
iptables --wait 5 --table nat --insert POSTROUTING 1 --src 10.2.0.0/16 ! --dst 10.3.0.0/16 --protocol tcp --match tcp ! --destination-port 80:90 --jump SNAT --to-source 192.0.2.1:99
iptables --table nat --append PREROUTING ! --in-interface eth0 --protocol udp --dport 53 --jump DNAT --to-destination 10.1.1.1
iptables --table=nat --append OUTPUT --destination 198.51.100.0/24 --protocol tcp --jump DNAT --to-destination 10.1.1.2:8080
iptables --table nat --list-rules; iptables --table nat --list-rules POSTROUTING
iptables --table nat --list --numeric --verbose; iptables --table nat --list PREROUTING --numeric
/usr/sbin/nft -j list ruleset | /usr/bin/jq -c '$NFTNORM'
iptables --table nat --check POSTROUTING --source 10.1.0.0/16 ! --out-interface br0 --jump MASQUERADE; echo rc=\$?
iptables --table nat --check POSTROUTING --source 10.9.0.0/16 --jump MASQUERADE 2>/dev/null; echo rc=\$?
iptables --table nat --delete POSTROUTING --source 10.1.0.0/16 ! --out-interface br0 --jump MASQUERADE; echo rc=\$?
iptables --table nat --flush PREROUTING; iptables --table nat --list-rules
iptables --table nat --flush; iptables --table nat --list-rules
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	grep -q -- '-A OUTPUT -d 198.51.100.0/24 -p tcp -j DNAT --to-destination 10.1.1.2:8080' "$BATS_TEST_TMPDIR/nsbox.out"
	grep -q '"dnat"' "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "compat iptables: abbreviated long options as iptables' getopt_long takes them; ambiguous ones exit 2" {
	compat_same "$(compat_script <<'S'
iptables --tab nat --app POSTROUTING --sou 10.1.0.0/16 --out br0 --j MASQUERADE; echo rc=$?
iptables --ta nat --ins POSTROUTING --sr 10.2.0.0/16 --dest 10.3.0.0/16 --prot tcp --dp 80 --jum SNAT --to 192.0.2.1; echo rc=$?
iptables -t nat -A PREROUTING --in-int eth0 -p tcp --destination-p 81 -j DNAT --to-d 10.1.1.1; echo rc=$?
iptables -t nat -A PREROUTING -p tcp --dest 10.4.0.0/16 --dport 82 -j DNAT --to 10.1.1.2; echo rc=$?
iptables -t nat -A PREROUTING --in eth0 -j DNAT --to 10.1.1.3 2>/dev/null; echo rc=$?
iptables -t nat -A POSTROUTING --d 10.5.0.0/16 -j MASQUERADE 2>/dev/null; echo rc=$?
iptables -t nat -A POSTROUTING -j SNAT --t 192.0.2.2 2>/dev/null; echo rc=$?
iptables -t nat -A POSTROUTING -p tcp -m tcp --dest 10.6.0.0/16 -j MASQUERADE 2>/dev/null; echo rc=$?
iptables -t nat --li 2>/dev/null; echo rc=$?
iptables -t nat --verbose=1 -L 2>/dev/null; echo rc=$?
iptables --t nat --list-r; iptables -t nat --lis 2>/dev/null; echo rc=$?
iptables -t nat --num --verb --line --list POSTROUTING
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	grep -q -- '-A POSTROUTING -s 10.2.0.0/16 -d 10.3.0.0/16 -p tcp -m tcp --dport 80 -j SNAT --to-source 192.0.2.1' "$BATS_TEST_TMPDIR/nsbox.out"
	[ "$(grep -c '^rc=2$' "$BATS_TEST_TMPDIR/nsbox.out")" = 7 ]
}

@test "compat iptables: -D CHAIN N, -L --line-numbers, -x (numbered as -S shows them)" {
	compat_same "$(compat_script <<'S'
iptables -t nat -A POSTROUTING -s 10.1.0.0/16 -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.2.0.0/16 -j SNAT --to-source 192.0.2.1
iptables -t nat -A POSTROUTING -s 10.3.0.0/16 -o br0 -j MASQUERADE
iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.1.1.1
iptables -t nat -A PREROUTING -p udp --dport 53 -j DNAT --to-destination 10.1.1.2
iptables -t nat -L --line-numbers -n; iptables -t nat -L POSTROUTING -n -v --line-numbers
iptables -t nat -L -n -v -x; iptables -t nat -nvxL PREROUTING --line-numbers; iptables -t nat -L -x -n
iptables -t nat -D POSTROUTING 2; echo rc=$?
iptables -t nat -D PREROUTING 1; echo rc=$?
iptables -t nat -D PREROUTING 2 2>/dev/null; echo rc=$?
iptables -t nat -D PREROUTING 0 2>/dev/null; echo rc=$?
iptables -t nat -D PREROUTING 1x 2>/dev/null; echo rc=$?
iptables -t nat -D POSTROUTING 1 -s 10.1.0.0/16 2>/dev/null; echo rc=$?
iptables -t nat --delete POSTROUTING 2; echo rc=$?
iptables -t nat -S; iptables -t nat -L -n --line-numbers
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	grep -q '^num   pkts bytes target' "$BATS_TEST_TMPDIR/nsbox.out"
	grep -q '^    pkts      bytes target' "$BATS_TEST_TMPDIR/nsbox.out"
	grep -qx -- '-A POSTROUTING -s 10.1.0.0/16 -j MASQUERADE' "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "compat iptables: -D of a DNAT rule by the line -S prints for it, -m addrtype --dst-type LOCAL too" {
	compat_same "$(compat_script <<'S'
iptables -t nat -A PREROUTING -d 198.51.100.1 -p tcp -m tcp --dport 8000 -j DNAT --to-destination 10.10.0.10:8000
iptables -t nat -A PREROUTING -p tcp --dport 8001 -j DNAT --to-destination 10.10.0.10
iptables -t nat -A PREROUTING -p tcp -m addrtype --dst-type LOCAL --dport 8002 -j DNAT --to-destination 10.10.0.11
iptables -t nat -A OUTPUT -m addrtype --dst-type LOCAL -p udp --dport 53 -j DNAT --to-destination 10.10.0.12
iptables -t nat -A OUTPUT -d 10.20.0.0/16 -j DNAT --to-destination 10.10.0.13
iptables -t nat -S; iptables -t nat -L -n
iptables -t nat -S | while read -r a rest; do [ "$a" = -A ] || continue; iptables -t nat -C $rest; echo "rc=$?"; iptables -t nat -D $rest; echo "rc=$?"; done
iptables -t nat -S
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	grep -q 'ADDRTYPE match dst-type LOCAL' "$BATS_TEST_TMPDIR/nsbox.out"
	[ "$(grep -c '^rc=0$' "$BATS_TEST_TMPDIR/nsbox.out")" = 10 ]
}

@test "nsbox iptables: natdnat's forwards are deleted by the lines -S prints (its any-local one as -m addrtype --dst-type LOCAL)" {
	ln -sf "$NSBOX" "$CDIR/natdnat"
	compat_run nsbox "$BATS_TEST_TMPDIR/n" "$(compat_script <<'S'
natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000
natdnat -p udp -i eth0 5353 10.10.0.11
natdnat 8080-8090 10.10.0.12
iptables -t nat -S
iptables -t nat -L -n
iptables -t nat -S | while read -r a rest; do [ "$a" = -A ] || continue; iptables -t nat -C $rest || echo "-C failed: $rest"; iptables -t nat -D $rest || echo "-D failed: $rest"; done
/usr/sbin/nft -j list ruleset | jq -c '[.nftables[] | select(.rule)] | length'
S
)"
	diff - "$BATS_TEST_TMPDIR/n.out" <<'E'
-P PREROUTING ACCEPT
-P INPUT ACCEPT
-P OUTPUT ACCEPT
-P POSTROUTING ACCEPT
-A PREROUTING -d 198.51.100.1/32 -p tcp -m tcp --dport 8000 -j DNAT --to-destination 10.10.0.10:8000
-A PREROUTING -i eth0 -p udp -m addrtype --dst-type LOCAL -m udp --dport 5353 -j DNAT --to-destination 10.10.0.11
-A PREROUTING -p tcp -m addrtype --dst-type LOCAL -m tcp --dport 8080:8090 -j DNAT --to-destination 10.10.0.12
-A OUTPUT -d 198.51.100.1/32 -p tcp -m tcp --dport 8000 -j DNAT --to-destination 10.10.0.10:8000
-A OUTPUT -p tcp -m addrtype --dst-type LOCAL -m tcp --dport 8080:8090 -j DNAT --to-destination 10.10.0.12
Chain PREROUTING (policy ACCEPT)
target     prot opt source               destination         
DNAT       6    --  0.0.0.0/0            198.51.100.1         tcp dpt:8000 to:10.10.0.10:8000
DNAT       17   --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL udp dpt:5353 to:10.10.0.11
DNAT       6    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL tcp dpts:8080:8090 to:10.10.0.12

Chain INPUT (policy ACCEPT)
target     prot opt source               destination         

Chain OUTPUT (policy ACCEPT)
target     prot opt source               destination         
DNAT       6    --  0.0.0.0/0            198.51.100.1         tcp dpt:8000 to:10.10.0.10:8000
DNAT       6    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL tcp dpts:8080:8090 to:10.10.0.12

Chain POSTROUTING (policy ACCEPT)
target     prot opt source               destination         
0
E
	[ "$(cat "$BATS_TEST_TMPDIR/n.rc")" = 0 ]
}

@test "compat iptables: dotted netmasks (-s ADDR/255.255.255.0) as iptables reads them" {
	compat_same "$(compat_script <<S
iptables -t nat -A POSTROUTING -s 10.0.0.0/255.255.255.0 -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.1.2.3/255.255.0.0 -d 10.7.0.9/255.255.255.255 -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.2.0.0/255.255.255.128 ! -d 10.8.0.0/255.254.0.0 -j SNAT --to-source 192.0.2.1
iptables -t nat -A POSTROUTING -d 10.0.0.0/0.0.0.0 -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.0.0.0/255.255.255.256 -j MASQUERADE 2>/dev/null; echo rc=\$?
iptables -t nat -A POSTROUTING -s 10.0.0.0/1.2.3 -j MASQUERADE 2>/dev/null; echo rc=\$?
iptables -t nat -S; iptables -t nat -L -n
/usr/sbin/nft -j list ruleset | /usr/bin/jq -c '$NFTNORM'
iptables -t nat -D POSTROUTING -s 10.1.0.0/255.255.0.0 -d 10.7.0.9/32 -j MASQUERADE; echo rc=\$?
iptables -t nat -S
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	grep -qx -- '-A POSTROUTING -s 10.2.0.0/25 ! -d 10.8.0.0/15 -j SNAT --to-source 192.0.2.1' "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "compat iptables: an empty chain name and -i with -o are refused, nothing made (no crash)" {
	compat_same "$(compat_script <<'S'
iptables -t nat -A '' -j MASQUERADE 2>/dev/null; echo rc=$((($? > 0) + ($? > 2)))
iptables -t nat -A '' -j DNAT --to-destination 10.0.0.1 2>/dev/null; echo rc=$((($? > 0) + ($? > 2)))
iptables -t nat -C '' -j MASQUERADE 2>/dev/null; echo rc=$((($? > 0) + ($? > 2)))
iptables -t nat -A POSTROUTING -i eth0 -o eth1 -j MASQUERADE 2>/dev/null; echo rc=$?
iptables -t nat -A PREROUTING -o eth1 -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.1 2>/dev/null; echo rc=$?
iptables -t nat -S
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "compat iptables: -w SECS must be a number, as iptables reads it (exit 2, nothing made)" {
	compat_same "$(compat_script <<'S'
iptables -w abc -t nat -A POSTROUTING -s 10.1.0.0/16 -j MASQUERADE 2>/dev/null; echo "rc=$?"
iptables --wait=x1 -t nat -A POSTROUTING -s 10.2.0.0/16 -j MASQUERADE 2>/dev/null; echo "rc=$?"
iptables -w 5 -t nat -A POSTROUTING -s 10.3.0.0/16 -j MASQUERADE; echo "rc=$?"
iptables -w 1.5 -t nat -A POSTROUTING -s 10.4.0.0/16 -j MASQUERADE; echo "rc=$?"
iptables -w -t nat -A POSTROUTING -s 10.5.0.0/16 -j MASQUERADE; echo "rc=$?"
iptables --wait 0x10 -t nat -A POSTROUTING -s 10.6.0.0/16 -j MASQUERADE; echo "rc=$?"
iptables -t nat -S
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	grep -qx 'rc=2' "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "compat iptables: a match without its option exits 2 with iptables' words and makes nothing; -m tcp before -p tcp is taken, its --dport too" {
	# once a crash (a NULL comment printed) and rules -S could not list.
	# stderr: nsbox says it in one line (iptables adds "Try `iptables -h'")
	COMPAT_STDERR=any
	compat_same "$(compat_script <<'S'
for m in comment state conntrack 'multiport -p tcp' addrtype 'tcp --dport 80' 'udp -p tcp --sport 9'; do
	iptables -A FORWARD -m $m -j ACCEPT; echo "rc=$?"
	iptables -t nat -A POSTROUTING -m $m -j MASQUERADE; echo "rc=$?"
done
# the kernel refuses these in iptables: nsbox exits as it does (its text differs)
for m in 'tcp' 'tcp -p udp' 'udp -p tcp'; do
	for c in '-A FORWARD' '-I FORWARD' '-C FORWARD' '-D FORWARD'; do
		iptables $c -m $m -j ACCEPT 2>/dev/null; echo "rc=$?"
	done
done
iptables -A FORWARD -m tcp -p tcp --dport 80 -j ACCEPT; echo "rc=$?"
# the match's port option before -p: taken once -p agrees
iptables -A FORWARD -m tcp --dport 81 -p tcp -j ACCEPT; echo "rc=$?"
iptables -A FORWARD -m udp --sport 53:60 -p udp -j ACCEPT; echo "rc=$?"
iptables -t nat -A PREROUTING -m tcp --dport 82 -p tcp -j DNAT --to-destination 10.0.0.1; echo "rc=$?"
iptables -A FORWARD -m comment --comment web -m state --state NEW -j ACCEPT; echo "rc=$?"
iptables -S
iptables -t nat -S
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	[ "$(grep -c 'rc=2' "$BATS_TEST_TMPDIR/nsbox.out")" = 14 ]
	grep -v -e '^Try ' -e '^$' "$BATS_TEST_TMPDIR/real.err" | sed 2q >"$BATS_TEST_TMPDIR/want"
	sed 2q "$BATS_TEST_TMPDIR/nsbox.err" | diff "$BATS_TEST_TMPDIR/want" -
}

@test "compat iptables: port and flag options without their protocol, and bad ports, in iptables' words (exit 2, nothing made); -m tcp's before -p tcp taken" {
	COMPAT_STDERR=any
	compat_same "$(compat_script <<'S'
for o in '--dport 80' '--sport 53' '--syn' '-p all --dport 80' '-p icmp --sport 1' \
	'-p udp --syn' '-p udp --tcp-flags FIN,SYN,RST,ACK SYN' '-p tcp --dport 90:80' \
	'-p tcp --dport 80:x' '-p tcp --dport 99999' '-m tcp --syn -p tcp' \
	'-m tcp --tcp-flags FIN,SYN,RST,ACK SYN -p tcp' '-m tcp --dport 81 -p tcp' \
	'-m udp --sport 53:60 -p udp'; do
	iptables -A FORWARD $o -j ACCEPT; echo "rc=$?"
done
iptables -t nat -A PREROUTING --dport 80 -j DNAT --to-destination 10.0.0.1; echo "rc=$?"
iptables -t nat -A PREROUTING -p tcp --dport 0x -j DNAT --to-destination 10.0.0.1; echo "rc=$?"
iptables -S
iptables -t nat -S
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	[ "$(grep -c 'rc=2' "$BATS_TEST_TMPDIR/nsbox.out")" = 12 ]
	grep -v -e '^Try ' -e '^$' "$BATS_TEST_TMPDIR/real.err" >"$BATS_TEST_TMPDIR/want"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/nsbox.err"
}

@test "compat iptables filter: a jump to a base chain is refused as the kernel refuses it (exit 4; -C and -D: 1), to no chain exit 2" {
	COMPAT_STDERR=any
	compat_same "$(compat_script <<'S'
iptables -A FORWARD -j ACCEPT
for c in '-A FORWARD' '-I FORWARD' '-R FORWARD 1' '-C FORWARD' '-D FORWARD'; do
	for j in INPUT OUTPUT FORWARD NOPE; do
		iptables $c -j $j; echo "rc=$?"
	done
done
iptables -S
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	[ "$(grep -c 'rc=4' "$BATS_TEST_TMPDIR/nsbox.out")" = 9 ]
	# the same words, line by line (iptables adds "Try `iptables -h'")
	grep -v -e '^Try ' -e '^$' "$BATS_TEST_TMPDIR/real.err" >"$BATS_TEST_TMPDIR/want"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/nsbox.err"
}

@test "compat iptables filter: the real scripts' lines, policies, user chains, -S, -L -v, -C, -D, -R, -Z, -F, -X and their exit codes" {
	compat_same "$(compat_script <<'S'
iptables -A FORWARD -i br0 -o eth0 -j ACCEPT
iptables -I FORWARD -p tcp --syn -i veth3 -m conntrack --ctstate NEW -j ACCEPT
iptables -P FORWARD ACCEPT; iptables -P FORWARD DROP
iptables --insert FORWARD --in-interface br0 -j ACCEPT
iptables -D FORWARD -i br9 -j ACCEPT; echo rc=$?
iptables -C FORWARD -i br0 -j ACCEPT; echo rc=$?
iptables -t filter -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset
iptables -A INPUT -p udp --sport 53 -j REJECT
iptables -A INPUT -p icmp -j REJECT --reject-with icmp-host-prohibited
iptables -A INPUT -s 10.0.0.0/8 -j LOG --log-prefix "in: "
iptables -A INPUT -j LOG --log-prefix x --log-level 6
iptables -A INPUT -p tcp -m comment --comment "web in" -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 80,443 -m comment --comment "web in" -j ACCEPT
iptables -I INPUT 3 -p udp -m multiport --sports 53,5353 -j ACCEPT
iptables -A INPUT -m multiport --dports 80 -j ACCEPT 2>/dev/null; echo rc=$?
iptables -N mych; iptables -N mych; echo rc=$?
iptables -A mych -j RETURN
iptables -A INPUT -j mych
iptables -A OUTPUT -p icmp -j DROP
iptables -A INPUT -m conntrack ! --ctstate NEW,INVALID -j ACCEPT
iptables -A INPUT ! -i lo -p tcp ! --syn -j DROP
iptables -A INPUT -m conntrack --ctstate NEW -p tcp --syn -j ACCEPT
iptables -A INPUT -p tcp --sport 1:2 ! --dport 3 -j ACCEPT
iptables -A INPUT -s 1.2.3.4
iptables -R INPUT 1 -s 1.2.3.5 -j DROP
iptables -S; iptables -L -n -v --line-numbers; iptables -t filter -nL FORWARD
/usr/sbin/nft -j list ruleset | /usr/bin/jq -c "$COMPAT_NFTNORM"
iptables -C INPUT -s 1.2.3.5/32 -j DROP; echo rc=$?
iptables -D INPUT 2; echo rc=$?
iptables -D INPUT 99; echo rc=$?
iptables -R INPUT 99 -j ACCEPT; echo rc=$?
iptables -I INPUT 99 -j ACCEPT; echo rc=$?
iptables -X mych; echo rc=$?
iptables -F mych; iptables -X mych; echo rc=$?
iptables -D INPUT -j mych; iptables -X mych; echo rc=$?
iptables -X nope; echo rc=$?
iptables -A nope -j ACCEPT; echo rc=$?
iptables -A INPUT -j nope 2>/dev/null; echo rc=$?
iptables -P mych DROP; echo rc=$?
iptables -P FORWARD REJECT; echo rc=$?
iptables -F nope; echo rc=$?
iptables -L nope; echo rc=$?
iptables -Z nope; echo rc=$?
iptables -Z; iptables -Z INPUT; echo rc=$?
iptables -F INPUT; iptables -S
iptables -F; iptables -S; iptables -L -n
S
)"
	diff "$BATS_TEST_TMPDIR/real.out" "$BATS_TEST_TMPDIR/nsbox.out"
	grep -q -- '-A FORWARD -i veth3 -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -m conntrack --ctstate NEW -j ACCEPT' "$BATS_TEST_TMPDIR/nsbox.out"
	grep -qx -- '-P FORWARD DROP' "$BATS_TEST_TMPDIR/nsbox.out"
}

# seed 004 (neptune forwarded to a simulated internet), then the filter
# table on its FORWARD chain
filter_traffic() {
	cat "$BATS_TEST_DIRNAME/../bench/ref/seed004_ip.sh"
	cat <<'S'
ip netns exec inet socat -T3 TCP-LISTEN:9000,reuseaddr,fork SYSTEM:'echo hi' &
i=0; until ip netns exec inet ss -ltn | grep -q ':9000 '; do i=$((i+1)); [ $i -lt 50 ]; sleep 0.1; done
iptables -P FORWARD DROP
if ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null; then exit 9; fi
iptables -A FORWARD -i planet-br -o uplink -j ACCEPT
if ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null; then exit 9; fi
iptables -A FORWARD -o planet-br -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null
ip netns exec neptune socat -T3 -u TCP:192.0.2.53:9000 -
iptables -I FORWARD -p tcp -m multiport --dports 8999,9000 -j REJECT --reject-with tcp-reset
ip netns exec neptune socat -T3 -u TCP:192.0.2.53:9000 - 2>&1 | grep -o 'Connection refused'
iptables -R FORWARD 1 -p tcp --syn --dport 9000 -j REJECT
ip netns exec neptune socat -T3 -u TCP:192.0.2.53:9000 - 2>&1 | grep -o 'Connection refused'
iptables -I FORWARD -p icmp -j REJECT --reject-with icmp-host-prohibited
ip netns exec neptune ping -c1 -W1 192.0.2.53 | grep -o 'Destination Host Prohibited'
iptables -F FORWARD; iptables -P FORWARD ACCEPT
ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null
S
}

@test "compat iptables filter: by traffic, a FORWARD DROP policy blocks, ACCEPT rules let through, REJECT refuses" {
	command -v socat
	filter_traffic >"$BATS_TEST_TMPDIR/s.sh"
	VERIFY=1 compat_same "$BATS_TEST_TMPDIR/s.sh"
	[ "$(grep -c 'Connection refused' "$BATS_TEST_TMPDIR/nsbox.out")" = 2 ]
	grep -qx hi "$BATS_TEST_TMPDIR/nsbox.out"
	grep -qx 'Destination Host Prohibited' "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "nsbox iptables filter: beside another tool's table ip filter, a drop in either drops and an accept ends only its own chain" {
	command -v socat
	{ filter_traffic; cat <<'S'
/usr/sbin/nft add table ip filter
/usr/sbin/nft add chain ip filter FORWARD '{ type filter hook forward priority 0; policy drop; }'
iptables -A FORWARD -j ACCEPT
if ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null; then exit 9; fi
/usr/sbin/nft add rule ip filter FORWARD accept
ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null
iptables -I FORWARD -d 192.0.2.53 -j DROP
if ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null; then exit 9; fi
iptables -D FORWARD -d 192.0.2.53 -j DROP
ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null
iptables -S FORWARD
echo done
S
	} >"$BATS_TEST_TMPDIR/s.sh"
	VERIFY=1 compat_run nsbox "$BATS_TEST_TMPDIR/n" "$BATS_TEST_TMPDIR/s.sh"
	cat "$BATS_TEST_TMPDIR/n.err"
	[ "$(cat "$BATS_TEST_TMPDIR/n.rc")" = 0 ]
	grep -qx done "$BATS_TEST_TMPDIR/n.out"
	grep -qx -- '-A FORWARD -j ACCEPT' "$BATS_TEST_TMPDIR/n.out"
}
