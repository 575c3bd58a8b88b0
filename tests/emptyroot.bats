#!/usr/bin/env bats
# nsbox alone in an empty root: a directory holding only nsbox and its links
# (and, for a dynamically linked build, the libraries ldd names): no shell, no
# /etc, no /proc unless the case mounts it.  Entered with chroot and driven by
# batch mode, as in an initramfs or a scratch container.  Checked from outside
# the root with ip, nft, nsenter + iputils ping and /proc/self/mountinfo.

load helper

setup_world() {
	ROOT=$BATS_TEST_TMPDIR/root
	mkdir -p "$ROOT/bin"
	cp "$NSBOX" "$ROOT/bin/nsbox"
	local l
	for l in $(ldd "$NSBOX" 2>/dev/null | grep -oE '/[^ ]+'); do
		mkdir -p "$ROOT${l%/*}"
		cp -L "$l" "$ROOT$l"
	done
	# the copy links itself (this side has /proc)
	"$ROOT/bin/nsbox" --install "$ROOT/bin"
	mkdir -p "$ROOT/run"
	mount -t tmpfs -o mode=0755 emptyroot-run "$ROOT/run"
}

teardown() {
	local m
	[ -n "${ROOT:-}" ] || return 0
	for m in $(mounts | sort -r); do umount -l "$m"; done
}

# mount points inside the root
mounts() { awk -v r="$ROOT/" 'substr($5 "/", 1, length(r)) == r { print $5 }' /proc/self/mountinfo; }

with_proc() { mkdir -p "$ROOT/proc"; mount -t proc emptyroot-proc "$ROOT/proc"; }

# rules in this namespace's nf_tables (the sandbox's own)
nft_rules() { nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length'; }

# one_line STATUS REGEX CMD...: CMD exits STATUS with one line on stderr matching REGEX
one_line() {
	local want=$1 re=$2
	shift 2
	run --separate-stderr "$@"
	[ "$status" = "$want" ] || { echo "exit $status, not $want: $stderr"; return 1; }
	[ "$(printf '%s\n' "$stderr" | wc -l)" = 1 ] || { echo "not one line: $stderr"; return 1; }
	[[ $stderr =~ $re ]] || { echo "stderr: $stderr"; echo "wanted: $re"; return 1; }
}

@test "emptyroot: the root holds nsbox and its links, no shell, no /proc" {
	[ ! -e "$ROOT/bin/sh" ]
	[ ! -e "$ROOT/etc" ]
	[ ! -e "$ROOT/proc" ]
	run chroot "$ROOT" /bin/nsbox --list
	assert_success
	assert_output "$("$NSBOX" --list)"
	[ "$ROOT/bin/nsadd" -ef "$ROOT/bin/nsbox" ]
}

@test "emptyroot: the seed topology built by a batch file and torn down from stdin" {
	with_proc
	cat > "$ROOT/seed" <<-'EOF'
	# the demo topology, one applet a line
	nsadd earth neptune inet
	vethadd -a 198.51.100.1/24 -A 198.51.100.2/24 uplink inet:wan0
	ipaddr -n inet add 192.0.2.53/32 dev lo
	iproute add default via 198.51.100.2
	bradd planet-br 10.10.0.1/16
	vethadd -a 10.10.0.10/16 -m planet-br earth:earth-veth earth-br-veth
	vethadd -a 10.10.0.20/16 -m planet-br neptune:neptune-veth neptune-br-veth
	iproute -n earth add default via 10.10.0.1
	iproute -n neptune add default via 10.10.0.1
	natmasq 10.10.0.0/16 -o '!planet-br'
	natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000
	pingtest -n earth -q -c 1 -W 2 10.10.0.20
	EOF
	run chroot "$ROOT" /bin/nsbox -b /seed
	assert_success
	[ "$(ls "$ROOT/run/netns" | tr '\n' ' ')" = "earth inet neptune " ]
	# iputils ping across the bridge and through the masquerade
	nsenter --net="$ROOT/run/netns/earth" ping -c 1 -W 2 10.10.0.20
	nsenter --net="$ROOT/run/netns/earth" ping -c 1 -W 2 192.0.2.53
	ip -j addr show planet-br | jq -e '.[0].addr_info[] | select(.local == "10.10.0.1")'
	# masquerade, and the forward in prerouting and output
	[ "$(nft_rules)" = 3 ]

	run chroot "$ROOT" /bin/nsbox -b - <<-'EOF'
	natdnat -d -p tcp 198.51.100.1:8000 10.10.0.10:8000
	natmasq -d 10.10.0.0/16 -o '!planet-br'
	nsdel earth neptune inet
	iplink del planet-br
	EOF
	assert_success
	nothing ls "$ROOT/run/netns"
	[ "$(nft_rules)" = 0 ]
	fails 1 'Device "planet-br" does not exist.' ip link show planet-br
	# the uplink goes with wan0 once the kernel has cleaned inet up (ip
	# says so: a reader that fails for another reason does not end it)
	until_ok sh -c 'ip link show uplink 2>&1 | grep -qx "Device \"uplink\" does not exist."'
}

@test "emptyroot: nsadd without /proc says so in one line and leaves no mount" {
	one_line 1 '^nsadd: .*/proc is not mounted' chroot "$ROOT" /bin/nsadd a
	[ ! -e "$ROOT/run/netns/a" ]
	[ "$(mounts)" = "$ROOT/run" ]
}

@test "emptyroot: nsgraph without /proc says so in one line" {
	one_line 1 '^nsgraph: .*/proc is not mounted' chroot "$ROOT" /bin/nsgraph
	assert_output ""
	with_proc
	chroot "$ROOT" /bin/nsadd a
	umount "$ROOT/proc"
	one_line 1 '^nsgraph: .*/proc is not mounted' chroot "$ROOT" /bin/nsgraph
	assert_output ""
}

@test "emptyroot: nsbox --install works without /proc" {
	mkdir "$ROOT/sbin"
	run chroot "$ROOT" /bin/nsbox --install /sbin
	assert_success
	[ "$ROOT/sbin/nsadd" -ef "$ROOT/bin/nsbox" ]
	[ "$(ls "$ROOT/sbin" | wc -l)" = "$("$NSBOX" --list | wc -l)" ]
}

@test "emptyroot: without /proc, each applet works or says '/proc is not mounted' in one line" {
	local bad="" c nat=0
	while IFS= read -r c; do
		# shellcheck disable=SC2086
		run --separate-stderr chroot "$ROOT" $c
		if [ "$status" != 0 ] &&
			! [[ $stderr =~ ^[a-z]+:\ .*/proc\ is\ not\ mounted$ ]]; then
			bad="$bad
$c: exit $status: $stderr"
		fi
		[ "$status" != 0 ] || case $c in	# natdnat makes two rules
			/bin/natmasq*) nat=$((nat + 1)) ;; /bin/natdnat*) nat=$((nat + 2)) ;; esac
	done <<-'EOF'
	/bin/bradd br0 10.9.0.1/24
	/bin/vethadd -a 10.9.1.1/24 -A 10.9.1.2/24 va vb
	/bin/ipaddr add 10.9.2.1/24 dev br0
	/bin/iproute add 10.8.0.0/16 via 10.9.0.2
	/bin/iplink show br0
	/bin/pingtest -c 1 -W 1 10.9.0.1
	/bin/nslist
	/bin/natmasq 10.9.0.0/24
	/bin/natdnat -p tcp 10.9.0.1:80 10.9.0.2:80
	EOF
	[ -z "$bad" ] || { echo "$bad"; return 1; }
	# a NAT applet that failed left no rule
	[ "$(nft_rules)" = "$nat" ]
}

@test "emptyroot: read-only /proc/sys with forwarding already on: NAT works" {
	echo 1 > /proc/sys/net/ipv4/ip_forward
	with_proc
	mount --bind "$ROOT/proc/sys" "$ROOT/proc/sys"
	mount -o remount,bind,ro "$ROOT/proc/sys"
	run chroot "$ROOT" /bin/natmasq 10.9.0.0/24
	assert_success
	run chroot "$ROOT" /bin/natdnat -p tcp 10.9.0.1:80 10.9.0.2:80
	assert_success
	[ "$(nft_rules)" = 3 ]
}

@test "emptyroot: read-only /proc/sys with forwarding off: NAT fails in one line, no rule left" {
	echo 0 > /proc/sys/net/ipv4/ip_forward
	with_proc
	mount --bind "$ROOT/proc/sys" "$ROOT/proc/sys"
	mount -o remount,bind,ro "$ROOT/proc/sys"
	one_line 1 '^natmasq: .*ip_forward.*Read-only file system' chroot "$ROOT" /bin/natmasq 10.9.0.0/24
	one_line 1 '^natdnat: .*ip_forward.*Read-only file system' \
		chroot "$ROOT" /bin/natdnat -p tcp 10.9.0.1:80 10.9.0.2:80
	[ "$(nft_rules)" = 0 ]
}
