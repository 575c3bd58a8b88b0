#!/usr/bin/env bats
# iproute: changes checked with ip -j route and ping; show/-j/get compared with ip -j

bats_require_minimum_version 1.5.0
load helper

KEYS='[.[] | {type, dst, gateway, dev, protocol, scope, prefsrc, metric, flags, pref}]'

link() {
	nsadd a
	ip link add v0 type veth peer name v1 netns a
	ip addr add 10.5.0.1/24 dev v0
	ip addr add fd00::1/64 dev v0 nodad
	ip link set v0 up
	ip -n a addr add 10.5.0.2/24 dev v1
	ip -n a addr add fd00::2/64 dev v1 nodad
	ip -n a link set v1 up
}

@test "iproute: add with via, dev, metric, src; seen by ip -j" {
	link
	run iproute add 10.9.0.0/16 via 10.5.0.2 metric 5
	assert_success
	assert_output ""
	iproute add 10.8.0.0/16 dev v0 src 10.5.0.1
	iproute add 10.7.0.0/16 dev v0 scope host
	j=$(ip -j route show)
	jq -e '.[] | select(.dst=="10.9.0.0/16" and .gateway=="10.5.0.2" and .metric==5)' <<<"$j"
	jq -e '.[] | select(.dst=="10.8.0.0/16" and .dev=="v0" and .scope=="link" and .prefsrc=="10.5.0.1")' <<<"$j"
	jq -e '.[] | select(.dst=="10.7.0.0/16" and .scope=="host")' <<<"$j"
}

@test "iproute: default routes, IPv4 and IPv6, and ping through them" {
	link
	ip -n a addr add 10.6.0.1/32 dev lo
	ip -n a -6 addr add fd06::1/128 dev lo
	iproute add default via 10.5.0.2
	iproute -6 add default via fd00::2
	[ "$(ip -j route show default | jq -r '.[0].gateway')" = 10.5.0.2 ]
	[ "$(ip -6 -j route show default | jq -r '.[0].gateway')" = fd00::2 ]
	ping -c1 -W1 10.6.0.1
	# link-local addresses are tentative for a moment (DAD)
	until_ok ping -6 -c1 -W1 fd06::1
}

@test "iproute: show, -6 and -j agree with ip -j" {
	link
	ip route add 10.9.0.0/16 via 10.5.0.2 metric 5
	ip route add 10.8.0.0/16 dev v0 src 10.5.0.1
	ip route add default via 10.5.0.2
	ip -6 route add fd09::/64 via fd00::2
	[ "$(iproute -j | jq -c "$KEYS")" = "$(ip -j route show | jq -c "$KEYS")" ]
	[ "$(iproute -4 -j | jq -c "$KEYS")" = "$(ip -j route show | jq -c "$KEYS")" ]
	[ "$(iproute -6 -j | jq -c "$KEYS")" = "$(ip -6 -j route show | jq -c "$KEYS")" ]
	[ "$(iproute -n a -j | jq -c "$KEYS")" = "$(ip -n a -j route show | jq -c "$KEYS")" ]
	diff <(iproute show) <(ip route show | sed 's/ *$//')
}

@test "iproute: get agrees with ip -j route get" {
	link
	ip route add 10.9.0.0/16 via 10.5.0.2
	for d in 10.9.1.1 10.5.0.2 10.5.0.1; do
		[ "$(iproute -j get $d | jq -c '[.[] | {type, dst, gateway, dev, prefsrc}]')" = \
		  "$(ip -j route get $d | jq -c '[.[] | {type, dst, gateway, dev, prefsrc}]')" ]
	done
	[ "$(iproute -j get fd00::2 | jq -r '.[0].dev')" = v0 ]
	run -0 iproute get 10.9.1.1
	assert_output "10.9.1.1 via 10.5.0.2 dev v0 src 10.5.0.1"
	fails_prefix 1 "iproute: get: Network is unreachable" iproute get 192.0.2.1
}

@test "iproute: replace and del, with -e" {
	link
	iproute add default via 10.5.0.2
	fails 1 "iproute: default: File exists" iproute add default via 10.5.0.2
	run iproute -e add default via 10.5.0.2
	assert_success
	iproute replace default via 10.5.0.3 metric 7
	iproute replace default via 10.5.0.3 metric 7
	[ "$(ip -j route show default | jq -c '[.[] | {gateway, metric}]')" = '[{"gateway":"10.5.0.2","metric":null},{"gateway":"10.5.0.3","metric":7}]' ]
	iproute del default metric 7
	iproute del default
	[ "$(ip -j route show default | jq length)" = 0 ]
	fails 1 "iproute: default: No such process" iproute del default
	run iproute -e del default
	assert_success
}

@test "iproute: bad arguments exit 2 and add nothing" {
	link
	for args in "add 10.9.0.0/33 via 10.5.0.2" "add 10.9.1.0/16 via 10.5.0.2" \
		"add 10.9.0.0/16 via 10.5.0.256" "add 10.9.0.0/16 via fd00::2" \
		"add 10.9.0.0/16 dev v0 metric 5x" "add 10.9.0.0/16 dev v0 metric -1" \
		"add 10.9.0.0/16 dev v0 scope univ" "add 10.9.0.0/16 dev v0 frob" \
		"add 10.9.0.0/16 dev" "add deflt via 10.5.0.2" "add" "get 10.9" "get" "frob" \
		"add 10.9.0.0/16 dev a:b" "show x"; do
		run --separate-stderr iproute $args
		assert_failure 2
	done
	fails 2 "iproute: 10.9.1.0/16: invalid prefix" iproute add 10.9.1.0/16 via 10.5.0.2
	fails 2 "iproute: fd00::2: invalid address" iproute add 10.9.0.0/16 via fd00::2
	fails 2 "iproute: univ: invalid scope" iproute add 10.9.0.0/16 dev v0 scope univ
	fails 2 "iproute: frob: unknown keyword" iproute add 10.9.0.0/16 dev v0 frob
	[ "$(ip -j route show | jq length)" = 1 ]
}

@test "iproute: --help prints the synopsis" {
	run iproute --help
	assert_success
	assert_line --index 0 "iproute [-n NETNS] [-j] [-4|-6] [show]"
}
