#!/usr/bin/env bats
# nsbox without root: an unprivileged user (nobody) in its own user, network
# and mount namespace (unshare --user --map-root-user --net --mount), as
# rootless containers and CI runners have it.  What works there works; what
# cannot work says why in one line.  Checked from inside with ip, nft,
# iputils ping and /proc (they run in the same namespaces).

load helper

setup_world() {
	local why
	why=$(userns_blocked) && skip "$why"
	# nobody must reach the binary: a world-readable copy outside /run
	# (the cases mount a tmpfs over /run)
	U=$(mktemp -d /tmp/nsbox-rootless.XXXXXX)
	chmod 0755 "$U"
	mkdir "$U/bin"
	cp "$NSBOX" "$U/bin/nsbox"
	"$U/bin/nsbox" --install "$U/bin"
	chmod -R a+rX "$U"
}

teardown() {
	[ -z "${U:-}" ] || rm -rf "$U"
}

# prints why unprivileged user namespaces cannot be had here, or fails
userns_blocked() {
	local f
	f=/proc/sys/kernel/unprivileged_userns_clone
	if [ -r $f ] && [ "$(cat $f)" = 0 ]; then echo "$f is 0"; return 0; fi
	f=/proc/sys/user/max_user_namespaces
	if [ -r $f ] && [ "$(cat $f)" = 0 ]; then echo "$f is 0"; return 0; fi
	f=/proc/sys/kernel/apparmor_restrict_unprivileged_userns
	if [ -r $f ] && [ "$(cat $f)" = 1 ]; then echo "$f is 1"; return 0; fi
	# the kernel refuses a user namespace to a chrooted process, root or not
	if ! unshare --user true 2>/dev/null; then
		echo "user namespaces are refused even to root here (a chroot: the kernel refuses them to a chrooted process)"
		return 0
	fi
	if ! setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare --user --map-root-user --net --mount true 2>/dev/null; then
		echo "unshare --user as nobody is refused here"; return 0
	fi
	return 1
}

# rootless SCRIPT: sh -ec SCRIPT as nobody, mapped to root in fresh user,
# network and mount namespaces, nsbox's applets first on PATH
rootless() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare --user --map-root-user --net --mount \
		env PATH="$U/bin:/usr/sbin:/usr/bin:/sbin:/bin" sh -ec "$1"
}

@test "rootless: nobody outside, root inside its own user namespace" {
	run rootless 'id -u; cat /proc/self/uid_map'
	assert_success
	[ "$(sed -n 1p <<<"$output")" = 0 ]
	read -r inner outer count < <(sed -n 2p <<<"$output")
	[ "$inner $outer $count" = "0 65534 1" ]
}

@test "rootless: bradd, vethadd, ipaddr, iproute" {
	run rootless '
		bradd br0 10.9.0.1/24
		vethadd -a 10.9.1.1/24 -m br0 va vb
		ipaddr add 10.9.2.1/24 dev br0
		iproute add 10.8.0.0/16 via 10.9.0.2
		ip -j addr show br0
		ip -j link show vb
		ip -j route show 10.8.0.0/16'
	assert_success
	local lines
	mapfile -t lines <<<"$output"
	[ "$(jq -r '[.[0].addr_info[] | select(.family == "inet") | .local] | join(" ")' <<<"${lines[0]}")" = "10.9.0.1 10.9.2.1" ]
	[ "$(jq -r '.[0].master' <<<"${lines[1]}")" = br0 ]
	[ "$(jq -r '.[0].gateway' <<<"${lines[2]}")" = 10.9.0.2 ]
}

@test "rootless: natmasq and natdnat write nf_tables rules and turn on forwarding" {
	run rootless '
		natmasq 10.9.0.0/24 -o "!br0"
		natdnat -p tcp 10.9.0.1:8000 10.9.0.2:80
		cat /proc/sys/net/ipv4/ip_forward
		nft -j list table ip nsbox'
	assert_success
	[ "$(head -n 1 <<<"$output")" = 1 ]
	local rules
	rules=$(tail -n +2 <<<"$output")
	jq -e '[.nftables[] | select(.rule) | .rule.expr[] | select(has("masquerade"))] | length == 1' <<<"$rules"
	# the forward is two rules: prerouting (from outside) and output (from here)
	jq -e '[.nftables[] | select(.rule) | .rule.expr[] | select(has("dnat"))] | length == 2' <<<"$rules"
}

@test "rootless: nsadd, vethadd and pingtest across namespaces with a tmpfs on /run" {
	run rootless '
		mount -t tmpfs rootless-run /run
		nsadd a b
		vethadd -a 10.7.0.1/24 -A 10.7.0.2/24 a:x b:y
		pingtest -n a -c 1 -W 2 10.7.0.2
		ip netns exec b ping -c 1 -W 2 10.7.0.1'
	assert_success
	assert_line --partial "1 packets transmitted, 1 received"
}

@test "rootless: nsexec, nsgraph and nsdel with a tmpfs on /run" {
	run rootless '
		mount -t tmpfs rootless-run /run
		nsadd a b
		vethadd a:x b:y
		nsexec a ls /sys/class/net
		rc=0; nsexec a sh -c "exit 7" || rc=$?; echo "status $rc"
		nsgraph
		nsdel a b
		echo "left: $(ls /run/netns)"'
	assert_success
	assert_line --index 0 lo
	assert_line --index 1 x
	assert_line "status 7"
	assert_line --regexp '^\[a\]'
	assert_line --regexp '^\[b\]'
	assert_line "left: "
}

@test "rootless: nsadd where /run is not writable says why in one line" {
	run rootless '
		e=$(mktemp); rc=0; nsadd a 2>"$e" || rc=$?
		echo "status $rc"; cat "$e"; rm -f "$e"
		ls /run/netns 2>/dev/null || true'
	assert_success
	assert_line --index 0 "status 1"
	[ "${#lines[@]}" = 2 ]
	[[ ${lines[1]} =~ ^nsadd:\ .*/run/netns.*Permission\ denied$ ]] ||
		{ echo "stderr: ${lines[1]}"; return 1; }
}
