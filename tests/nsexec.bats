#!/usr/bin/env bats
# nsexec: checked with /sys, /proc and ip inside the namespace

load helper

@test "nsexec: runs in a namespace made by ip netns add" {
	ip netns add c
	ip -n c link add vx type veth peer name vy
	run nsexec c ip -j link show
	assert_success
	[ "$(jq -r '[.[].ifname] | sort | join(" ")' <<<"$output")" = "lo vx vy" ]
}

@test "nsexec: the exit status is the command's" {
	nsadd a
	run nsexec a sh -c 'exit 7'
	assert_failure 7
}

@test "nsexec: /sys/class/net shows the namespace's own links" {
	nsadd a
	ip -n a link add in-a type veth peer name in-a2
	run nsexec a ls /sys/class/net
	assert_success
	assert_output "$(printf 'in-a\nin-a2\nlo')"
}

@test "nsexec: /etc/netns/NS/resolv.conf appears as /etc/resolv.conf" {
	nsadd a
	mkdir -p /etc/netns/a
	echo "nameserver 192.0.2.1" >/etc/netns/a/resolv.conf
	run nsexec a cat /etc/resolv.conf
	assert_success
	assert_output "nameserver 192.0.2.1"
	# and only in there
	! grep -q 192.0.2.1 /etc/resolv.conf || false
}

@test "nsexec: a path to a namespace file works" {
	nsadd a
	run nsexec /run/netns/a sh -c 'readlink /proc/self/ns/net'
	assert_success
	[ "$output" = "net:[$(stat -L -c %i /run/netns/a)]" ]
}

@test "nsexec: the namespace is the named one (same inode as ip netns exec)" {
	nsadd a
	[ "$(nsexec a readlink /proc/self/ns/net)" = "$(ip netns exec a readlink /proc/self/ns/net)" ]
}

@test "nsexec: command not found is 127, not executable 126" {
	nsadd a
	fails 127 "nsexec: /nonexistent/cmd: No such file or directory" nsexec a /nonexistent/cmd
	touch "$BATS_TEST_TMPDIR/noexec"
	fails 126 "nsexec: $BATS_TEST_TMPDIR/noexec: Permission denied" nsexec a "$BATS_TEST_TMPDIR/noexec"
}

@test "nsexec: unknown namespace exits 1, missing arguments 2" {
	fails 1 "nsexec: nope: No such file or directory" nsexec nope true
	fails 2 "nsexec: NETNS: missing operand" nsexec
	fails 2 "nsexec: CMD: missing operand" nsexec a
}

@test "nsexec: ip netns exec sees namespaces from nsadd" {
	nsadd a
	run ip netns exec a ip -j link show lo
	assert_success
	jq -e '.[0].operstate == "UNKNOWN"' <<<"$output"
}

@test "nsexec: works when /sys was never mounted, as in an initramfs" {
	nsadd a
	ip -n a link add in-a type veth peer name in-a2
	while mountpoint -q /sys; do umount -l /sys; done
	run nsexec a ls /sys/class/net
	assert_success
	assert_output "$(printf 'in-a\nin-a2\nlo')"
	# and the caller's /sys is still unmounted
	[ ! -e /sys/class ]
}

@test "nsexec: a read-only /sys stays read-only inside" {
	nsadd a
	mount -o remount,ro /sys
	run nsexec a sh -c 'grep " /sys " /proc/self/mounts'
	assert_success
	assert_output --regexp ' sysfs ro[, ]'
}
