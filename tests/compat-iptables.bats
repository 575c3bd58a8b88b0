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
iptables -t nat -C POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE; echo rc=$?
iptables -t nat -C POSTROUTING -s 10.9.0.0/16 -j MASQUERADE 2>&1; echo rc=$?
iptables -t nat -D POSTROUTING -s 10.9.0.0/16 -j MASQUERADE 2>&1; echo rc=$?
iptables -t nat -D POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE; echo rc=$?
iptables -t nat -F PREROUTING; iptables -t nat -S
iptables -t nat -F; iptables -t nat -S
S
)"
}

@test "compat iptables: masquerade and DNAT by traffic (seed 004 with a port forward served by socat)" {
	command -v socat
	{ cat "$BATS_TEST_DIRNAME/../bench/ref/seed004_ip.sh"; cat <<'S'
ip netns exec earth socat -T3 TCP-LISTEN:8000,reuseaddr SYSTEM:'echo hi' &
i=0; until ip netns exec earth ss -ltn | grep -q ':8000 '; do i=$((i+1)); [ $i -lt 50 ]; sleep 0.1; done
ip netns exec inet socat -T3 - TCP:198.51.100.1:8000
ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null
iptables -t nat -D POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE
! ip netns exec neptune ping -c1 -W1 192.0.2.53 >/dev/null
S
	} >"$BATS_TEST_TMPDIR/s.sh"
	VERIFY=1 compat_same "$BATS_TEST_TMPDIR/s.sh"
	grep -qx hi "$BATS_TEST_TMPDIR/nsbox.out"
}

@test "nsbox iptables: the masquerade rule is natmasq's, listed and deleted by natmasq" {
	ln -sf "$NSBOX" "$CDIR/natmasq"
	compat_run nsbox "$BATS_TEST_TMPDIR/n" "$(compat_script <<'S'
iptables -t nat -A POSTROUTING -s 10.10.0.0/16 ! -o planet-br -j MASQUERADE
natmasq
natmasq -d 10.10.0.0/16 -o '!planet-br'
iptables -t nat -S POSTROUTING
S
)"
	diff - "$BATS_TEST_TMPDIR/n.out" <<'E'
10.10.0.0/16 -o !planet-br
-P POSTROUTING ACCEPT
E
}

@test "nsbox iptables: filter table, user chains, other targets: exit 2, one line" {
	local PATH="$CDIR"
	for args in "-t filter -A FORWARD -j ACCEPT" "-A FORWARD -j ACCEPT" "-t nat -N mychain" \
		"-t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4" "-t nat -A INPUT -j MASQUERADE"; do
		# shellcheck disable=SC2086
		run iptables $args
		[ "$status" = 2 ] && [ "${#lines[@]}" = 1 ] && [[ "$output" == "iptables: "*"not supported by nsbox"* ]]
	done
}
