#!/usr/bin/env bats
# What a hostile or unlucky user finds (issue 12): things under /run/netns
# that are not namespaces, kernel name templates, races, symlinks, file
# capabilities, closed or full standard streams, foreign nft comments.
# Every case checks with ip, nft, /proc and ls, never with nsbox itself.

load helper

# /run/netns with one real namespace and every kind of thing that is not one
setup_world() {
	ip netns add good
	mkfifo /run/netns/fifo
	: >/run/netns/file
	echo junk >/run/netns/junk
	mkdir /run/netns/dir
	ln -s /run/nowhere /run/netns/dangling
	# a real mount point elsewhere that a symlink points at
	mkdir -p /run/victim
	mount -t tmpfs victim /run/victim
	echo precious >/run/victim/f
	ln -s /run/victim /run/netns/link
}

# mounts, /run/netns, links and rules: what nothing here may change; fails
# when a reader does (an oracle that cannot answer would compare empty with
# empty), or when it does not see setup_world's world
world() {
	local out
	out=$(
		set -o pipefail
		awk '{print $5, $9}' /proc/self/mountinfo | sort || exit
		ls -la --time-style=+ /run/netns | awk '{print $1, $NF}' || exit
		cat /run/victim/f || exit
		jqr '[.[].ifname]' ip -j link show || exit
		jqr '[.[].ifname]' ip -n good -j link show || exit
		nft list ruleset
	) || { echo "world: a reader failed" >&2; return 1; }
	[[ $out == *"/run/victim "* && $out == *" good"* && $out == *" fifo"* &&
		$out == *precious* && $out == *'["lo"]'* ]] ||
		{ printf 'world: not the world setup_world made:\n%s\n' "$out" >&2; return 1; }
	echo "$out"
}

BAD="fifo file junk dir dangling link"

# every applet that opens a NAME under /run/netns, for one NAME
opens() {
	local e=$1
	cat <<EOF
nsexec $e true
iplink -n $e show
ipaddr -n $e show
iproute -n $e show
vethadd $e:x0 y0
vethadd -n $e x0 y0
bradd -n $e br7
natmasq -n $e
natdnat -n $e
natmasq -n $e 10.0.0.0/8
pingtest -n $e -c 1 -W 1 127.0.0.1
iplink -n /run/netns/$e show
iplink set lo netns $e
EOF
}

@test "hostile: nothing under /run/netns that is not a namespace hangs, crashes or is used" {
	local before after e line out
	before=$(world)
	for e in $BAD; do
		while IFS= read -r line; do
			# shellcheck disable=SC2086
			run --separate-stderr timeout 10 $line
			[ "$status" -ne 124 ] || fail "hangs: $line"
			[ "$status" -eq 1 ] || fail "status $status: $line: $stderr"
			case $line in
			*/run/netns/dangling*)	# a path is followed, to nothing
				[ "$(first_err)" = "iplink: /run/netns/dangling: No such file or directory" ] ;;
			*/run/netns/$e*) [ "$(first_err)" = "iplink: /run/netns/$e: not a network namespace" ] ;;
			*) [ "$(first_err)" = "${line%% *}: $e: not a network namespace" ] ;;
			esac || fail "$line: $(first_err)"
		done < <(opens "$e")
	done
	after=$(world)
	[ "$after" = "$before" ]
}

@test "hostile: listings skip what is not a namespace, without hanging" {
	local before after
	before=$(world)
	run --separate-stderr timeout 10 nslist
	assert_success
	assert_output good
	[ -z "$stderr" ]
	run --separate-stderr timeout 10 nsgraph
	assert_success
	[ -z "$stderr" ]
	run timeout 10 nsgraph -j
	assert_success
	[ "$(jq -c '[.namespaces[].name]' <<<"$output")" = '["host","good"]' ] || fail "$output"
	after=$(world)
	[ "$after" = "$before" ]
}

@test "hostile: nsdel never follows a symlink nor removes what is not a namespace" {
	local before e
	for e in fifo junk dir dangling link; do
		run --separate-stderr timeout 10 nsdel "$e"
		assert_failure 1
		[ "$(first_err)" = "nsdel: $e: not a network namespace" ] || fail "$e: $(first_err)"
		[ -e "/run/netns/$e" ] || [ -L "/run/netns/$e" ]
	done
	grep -q ' /run/victim ' /proc/self/mountinfo
	[ "$(cat /run/victim/f)" = precious ]
	# an empty plain file is what a crashed add leaves: removed
	run nsdel file
	assert_success
	[ ! -e /run/netns/file ]
}

@test "hostile: nsadd -e repairs a leftover placeholder and refuses what is not a namespace" {
	local e
	run nsadd -e file
	assert_success
	ip netns exec file true
	[ "$(ip -n file -j link show lo | jq -r '.[0].operstate')" = UNKNOWN ]
	for e in fifo junk dir dangling link; do
		run --separate-stderr timeout 10 nsadd -e "$e"
		assert_failure 1
		[ "$(first_err)" = "nsadd: $e: not a network namespace" ] || fail "$e: $(first_err)"
	done
	[ "$(cat /run/victim/f)" = precious ]
	run nsadd -e good
	assert_success
}

@test "hostile: a FIFO given as a path hangs nothing" {
	mkfifo /run/pipe
	run --separate-stderr timeout 10 iplink -n /run/pipe show
	assert_failure 1
	[ "$(first_err)" = "iplink: /run/pipe: not a network namespace" ]
	run --separate-stderr timeout 10 nsexec /run/pipe true
	assert_failure 1
	[ "$(first_err)" = "nsexec: /run/pipe: not a network namespace" ]
	run --separate-stderr timeout 10 iplink -n /proc/self/ns/mnt show
	assert_failure 1
	[ "$(first_err)" = "iplink: /proc/self/ns/mnt: not a network namespace" ]
}

@test "hostile: % templates in names are refused before any request" {
	local n
	for n in 'br%d' 'x%d'; do
		run --separate-stderr bradd "$n"
		assert_failure 2
		[ "$(first_err)" = "bradd: $n: invalid interface name" ]
	done
	run --separate-stderr vethadd 'x%d' 'y%d'
	assert_failure 2
	[ "$(first_err)" = "vethadd: x%d: invalid interface name" ]
	run --separate-stderr iplink set lo name 'l%d'
	assert_failure 2
	[ "$(ip -j link show | jq -c '[.[].ifname]')" = '["lo"]' ]
}

@test "hostile: names the kernel rejects (0xA0 is a space to it) are usage errors" {
	local n
	for n in $'\xc3\xa0' $'a\xa0b' 'a b' $'a\tb' 'a/b' '.' '..' 'abcdefghijklmnop'; do
		run --separate-stderr bradd "$n"
		assert_failure 2
		[ "$(first_err)" = "bradd: $n: invalid interface name" ] || fail "$n: $(first_err)"
	done
	[ "$(ip -j link show | jq -c '[.[].ifname]')" = '["lo"]' ]
}

@test "hostile: the loser of two identical natdnat never turns forwarding off" {
	local i
	for i in $(seq 25); do
		nft delete table ip nsbox 2>/dev/null || true
		echo 0 >/proc/sys/net/ipv4/ip_forward
		natdnat 8080 10.9.0.2:80 2>/dev/null &
		natdnat 8080 10.9.0.2:80 2>/dev/null &
		wait
		[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" -gt 0 ]
		[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || fail "round $i: forwarding off"
	done
}

@test "hostile: nsadd -e and nsdel -e of one name in parallel never fail" {
	local errs=$BATS_TEST_TMPDIR/errs
	( for i in $(seq 150); do nsadd -e p || echo "add $i" >>"$errs"; done ) 2>>"$errs" &
	( for i in $(seq 150); do nsdel -e p || echo "del $i" >>"$errs"; done ) 2>>"$errs" &
	wait
	[ ! -s "$errs" ] || fail "$(head -n 5 "$errs")"
}

@test "hostile: iproute -e add accepts only the route as asked and names what differs" {
	ip link add d0 type bridge
	ip addr add 10.1.0.1/24 dev d0
	ip link set d0 up
	ip route add 10.7.0.0/16 via 10.1.0.2
	run iproute -e add 10.7.0.0/16 via 10.1.0.2
	assert_success
	run --separate-stderr iproute -e add 10.7.0.0/16 via 10.1.0.3
	assert_failure 1
	[ "$(first_err)" = "iproute: 10.7.0.0/16: exists with via 10.1.0.2" ]
	run iproute -e add 10.7.0.0/16 via 10.1.0.2 dev d0
	assert_success
	[ "$(ip -j route show 10.7.0.0/16 | jq -r '.[0].gateway')" = 10.1.0.2 ]
}

@test "hostile: a repeated keyword or option is a usage error in every applet" {
	ip link add d0 type bridge
	run --separate-stderr iproute add 10.7.0.0/16 via 10.1.0.2 via 10.1.0.3
	assert_failure 2
	[ "$(first_err)" = "iproute: via: given twice" ]
	run --separate-stderr iplink set d0 mtu 1400 mtu 1300
	assert_failure 2
	[ "$(first_err)" = "iplink: mtu: given twice" ]
	run --separate-stderr natdnat -p tcp -p udp 80 10.0.0.1
	assert_failure 2
	[ "$(first_err)" = "natdnat: -p: given twice" ]
	run --separate-stderr vethadd --mtu 1400 --mtu 1300 a b
	assert_failure 2
	[ "$(first_err)" = "vethadd: --mtu: given twice" ]
	run --separate-stderr iplink -n good -n good show
	assert_failure 2
	[ "$(first_err)" = "iplink: -n: given twice" ]
	[ "$(ip -j link show d0 | jq -r '.[0].mtu')" = 1500 ]
	nothing nft list ruleset
}

@test "hostile: a copy with file capabilities run by nobody refuses (AT_SECURE)" {
	local copy=/run/capbin/nsbox
	mkdir -p /run/capbin
	chmod 755 /run/capbin
	cp "$NSBOX" "$copy"
	chmod 755 "$copy"
	setcap cap_net_admin,cap_sys_admin+ep "$copy" || skip "no file capabilities here"
	ln -s nsbox /run/capbin/bradd
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups /run/capbin/bradd brx
	assert_failure 1
	[ "$(first_err)" = "nsbox: refusing to run setuid, setgid or with file capabilities" ]
	fails 1 'Device "brx" does not exist.' ip link show brx
}

@test "hostile: --install of an empty DIR is usage; a missing one one line" {
	# in an empty root of its own: a broken nsbox must not fill the real /
	mkdir -p /run/root
	cp "$NSBOX" /run/root/nsbox
	for l in $(ldd "$NSBOX" 2>/dev/null | grep -o '/[^ ]*'); do
		mkdir -p "/run/root${l%/*}"
		cp "$l" "/run/root$l"
	done
	run --separate-stderr chroot /run/root /nsbox --install ""
	assert_failure 2
	[ "$(first_err)" = "nsbox: --install: usage: nsbox --install [-s] [--compat|--cni] DIR" ]
	[ ! -e /run/root/nslist ]
	run --separate-stderr nsbox --install /run/missing
	assert_failure 1
	[ "$stderr" = "nsbox: /run/missing: No such file or directory" ]
}

@test "hostile: --install across filesystems falls back to symbolic links, saying so" {
	mkdir -p /run/fs1 /run/fs2
	mount -t tmpfs fs1 /run/fs1
	mount -t tmpfs fs2 /run/fs2
	cp "$NSBOX" /run/fs1/nsbox
	run --separate-stderr /run/fs1/nsbox --install /run/fs2
	assert_success
	[ "$stderr" = "nsbox: /run/fs2: another filesystem: symbolic links to /run/fs1/nsbox" ]
	for a in $(/run/fs1/nsbox --list); do
		[ "$(readlink "/run/fs2/$a")" = /run/fs1/nsbox ]
	done
	[ "$(ls /run/fs2 | wc -l)" = "$(/run/fs1/nsbox --list | wc -l)" ]
	/run/fs2/nsadd cross-made
	# (not ip netns list: it blocks on the FIFO setup_world made there)
	ip -n cross-made link show lo >/dev/null
	# -s asks for symbolic links: nothing to say (and the links are there)
	run --separate-stderr /run/fs1/nsbox --install -s /run/fs2
	assert_success
	[ -z "$stderr" ]
}

@test "hostile: no descriptor of nsbox reaches a command nsexec runs in a batch" {
	printf 'iplink -n good show\nnatmasq -n good\nnsexec good find /proc/self/fd -mindepth 1 -maxdepth 1 -printf "%%f %%l\\n"\n' >/run/b
	run nsbox -b /run/b
	assert_success
	! grep -E 'socket:|/run/b' <<<"$output" || fail "$output"
}

@test "hostile: closed standard descriptors are reopened on /dev/null" {
	# what CMD finds on its fds 1 and 0 when nsexec had them closed: the
	# null device, by file type and device number (not by the link's path
	# name, which is the path outside a chroot)
	local null
	null=$(stat -c '%F %t:%T' /dev/null)
	[ "$null" = "character special file 1:3" ]
	run --separate-stderr timeout 10 sh -c "nsexec good sh -c 'f=\$(stat -L -c \"%F %t:%T\" /proc/\$\$/fd/1 /proc/\$\$/fd/0); echo \"\$f\" >&2' >&- <&-"
	assert_success
	[ "$stderr" = "$null"$'\n'"$null" ]
}

@test "hostile: batch read errors exit 1 in one line" {
	run --separate-stderr nsbox -b /run
	assert_failure 1
	[ "$stderr" = "nsbox: /run: Is a directory" ]
	run --separate-stderr timeout 10 sh -c 'nsbox -b - <&-'
	assert_failure 1
	[ "$stderr" = "nsbox: -: Bad file descriptor" ]
}

@test "hostile: a write error belongs to the batch line that wrote and stops the batch" {
	run --separate-stderr sh -c 'printf "nslist\nnsadd x\n" | nsbox -b - >/dev/full'
	assert_failure 1
	[ "$stderr" = "-:1: nslist: stdout: No space left on device" ]
	[ ! -e /run/netns/x ]
	run --separate-stderr sh -c 'printf "nslist\nnsadd x\n" | nsbox -b - -f >/dev/full'
	assert_failure 1
	[ -e /run/netns/x ]
	run --separate-stderr sh -c 'nslist >/dev/full'
	assert_failure 1
	[ "$stderr" = "nslist: stdout: No space left on device" ]
}

@test "hostile: NAT listings ignore rules with foreign comments, silently" {
	nft add table ip nsbox
	nft add chain ip nsbox postrouting '{ type nat hook postrouting priority 100; }'
	nft add chain ip nsbox prerouting '{ type nat hook prerouting priority -100; }'
	nft add rule ip nsbox postrouting ip saddr 10.0.0.0/8 masquerade comment '"natmasq -o"'
	nft add rule ip nsbox postrouting ip saddr 10.0.0.0/8 masquerade comment '"natmasq bogus stuff"'
	nft add rule ip nsbox prerouting tcp dport 1 dnat to 10.0.0.1 comment '"natdnat -p sctp 1 2"'
	nft add rule ip nsbox prerouting tcp dport 2 dnat to 10.0.0.1 comment '"natdnat"'
	local a
	for a in natmasq natdnat "natmasq -j" "natdnat -j"; do
		# shellcheck disable=SC2086
		run --separate-stderr $a
		assert_success
		[ -z "$stderr" ] || fail "$a: $stderr"
	done
}

@test "hostile: -- ends options in every applet" {
	ip link add name -y type bridge
	run --separate-stderr iplink del -- -y
	assert_success
	[ -z "$stderr" ]
	fails 1 'Device "-y" does not exist.' ip link show dev -y
	run nsadd -- -z
	assert_success
	[ -e /run/netns/-z ]
	run nsexec -- -z true
	assert_success
	run nsdel -- -z
	assert_success
	[ ! -e /run/netns/-z ]
	ip link add name -q type bridge
	run iplink set -- -q mtu 1400
	assert_success
	[ "$(ip -j link show dev -q | jq -r '.[0].mtu')" = 1400 ]
}

@test "hostile: # after a blank starts a batch comment, as in ip -batch" {
	printf 'nsadd c # comment\nnsadd d#e\n' >/run/b
	run nsbox -b /run/b
	assert_success
	[ "$(ls /run/netns | grep -v -x -e good $(printf -- '-e %s ' $BAD))" = $'c\nd#e' ]
}

@test "hostile: pingtest with a source of the other family is a usage error" {
	run --separate-stderr pingtest -c 1 -I ::1 127.0.0.1
	assert_failure 2
	[ "$(first_err)" = "pingtest: ::1: source and destination differ in address family" ]
	run --separate-stderr pingtest -c 1 -I 127.0.0.1 ::1
	assert_failure 2
}

@test "hostile: one error text for EMFILE in both builds" {
	# as many descriptors as it has open now, and no more
	run --separate-stderr sh -c 'exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-; ulimit -n 4; exec iplink -n good show'
	assert_failure 1
	[[ "$(first_err)" == *": Too many open files" ]] || fail "$(first_err)"
}
