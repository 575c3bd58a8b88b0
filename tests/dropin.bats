#!/usr/bin/env bats
# Where users drop nsbox (issue 13): batch comments, a read-only /proc/sys
# (containers), a kernel without nf_tables, no /proc, no /run, a chroot
# whose / is not a mount point, /etc/netns entries without an /etc twin.

load helper

# an empty root holding only nsbox (and, for a dynamic build, its libraries)
empty_root() {
	local r=/run/root l
	mkdir -p "$r"
	cp "$NSBOX" "$r/nsbox"
	for l in $(ldd "$NSBOX" 2>/dev/null | grep -o '/[^ ]*'); do
		mkdir -p "$r${l%/*}"
		cp "$l" "$r$l"
	done
}

@test "dropin: a batch comment line may hold a quote" {
	run --separate-stderr sh -c 'printf "# it'"'"'s a comment\nnslist\n  # \"open\n" | nsbox -b -'
	assert_success
	[ -z "$stderr" ]
}

@test "dropin: NAT on a read-only /proc/sys works when nothing needs writing" {
	echo 1 >/proc/sys/net/ipv4/ip_forward
	mount --bind -o ro /proc/sys /proc/sys
	run --separate-stderr natdnat 8080 10.9.0.2:80
	assert_success
	run --separate-stderr natmasq 10.9.0.0/24
	assert_success
	run --separate-stderr natmasq -e 10.9.0.0/24
	assert_success
	[ "$(nft -j list ruleset | jq '[.nftables[] | select(.rule)] | length')" = 3 ]
}

@test "dropin: NAT on a read-only /proc/sys that must turn forwarding on: one line, nothing left" {
	echo 0 >/proc/sys/net/ipv4/ip_forward
	mount --bind -o ro /proc/sys /proc/sys
	run --separate-stderr natdnat 8080 10.9.0.2:80
	assert_failure 1
	[ "$stderr" = "natdnat: /proc/sys/net/ipv4/ip_forward: Read-only file system" ]
	nothing nft list ruleset
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
}

@test "dropin: nsgraph on a kernel without nf_tables says nat: unavailable" {
	cc -O1 -o "$BATS_TEST_TMPDIR/nonft" "$BATS_TEST_DIRNAME/tools/nonft.c"
	ip netns add a
	run --separate-stderr "$BATS_TEST_TMPDIR/nonft" nsgraph
	assert_success
	[ -z "$stderr" ]
	[ "$(grep -c '^  nat: unavailable$' <<<"$output")" = 2 ]
	run --separate-stderr "$BATS_TEST_TMPDIR/nonft" nsgraph -j
	assert_success
	[ "$(jq -c '[.namespaces[].nat]' <<<"$output")" = '[null,null]' ]
}

@test "dropin: without /proc nsgraph and nsadd say so and leave no mount" {
	run --separate-stderr unshare -m sh -c 'while umount -l /proc 2>/dev/null; do :; done; nsgraph'
	assert_failure 1
	[ "$stderr" = "nsgraph: host: /proc is not mounted" ]
	run --separate-stderr unshare -m sh -c 'while umount -l /proc 2>/dev/null; do :; done; nsadd x; s=$?;
		mount -t proc proc /proc; grep -c " /run/netns" /proc/self/mountinfo; ls -A /run; exit $s'
	assert_failure 1
	[ "$stderr" = "nsadd: x: /proc is not mounted" ]
	[ "$(head -n 1 <<<"$output")" = 0 ]
	! grep -qx netns <<<"$output" || false
}

@test "dropin: an empty root names what is missing and leaves nothing" {
	empty_root
	run --separate-stderr chroot /run/root /nsbox nsadd x
	assert_failure 1
	[ "$stderr" = "nsadd: x: /proc is not mounted" ]
	mkdir /run/root/proc
	mount -t proc proc /run/root/proc
	run --separate-stderr chroot /run/root /nsbox nsadd x
	assert_failure 1
	[ "$stderr" = "nsadd: x: /run does not exist" ]
	[ ! -e /run/root/run ]
	run --separate-stderr chroot /run/root /nsbox nsgraph
	assert_success
	[ "$(head -n 1 <<<"$output")" = "[host]" ]
}

@test "dropin: --install without /proc finds the binary by argv[0] or PATH" {
	empty_root
	mkdir /run/root/bin /run/root/sbin
	run --separate-stderr chroot /run/root /nsbox --install /bin
	assert_success
	[ -z "$stderr" ]
	[ "$(stat -c %i /run/root/bin/nslist)" = "$(stat -c %i /run/root/nsbox)" ]
	mv /run/root/nsbox /run/root/bin/nsbox
	run --separate-stderr env PATH=/bin "$(command -v chroot)" /run/root nsbox --install -s /sbin
	assert_success
	[ "$(readlink /run/root/sbin/nslist)" = /bin/nsbox ]
}

@test "dropin: nsexec in a chroot whose / is not a mount point says why" {
	empty_root
	ip netns add earth
	mkdir -p /run/root/proc /run/root/run/netns
	mount -t proc proc /run/root/proc
	: >/run/root/run/netns/earth
	mount --bind /run/netns/earth /run/root/run/netns/earth
	run --separate-stderr chroot /run/root /nsbox nsexec earth /nsbox nslist
	assert_failure 1
	[ "$stderr" = "nsexec: earth: / is not a mount point (chroot?)" ]
}

@test "dropin: /etc/netns/NS/X without /etc/X is one warning, and the command runs" {
	ip netns add a
	mkdir -p /etc/netns/a
	echo hi >/etc/netns/a/nsbox-nowhere
	echo 'nameserver 10.0.0.53' >/etc/netns/a/resolv.conf
	run --separate-stderr nsexec a cat /etc/resolv.conf
	assert_success
	assert_output 'nameserver 10.0.0.53'
	[ "$stderr" = "nsexec: /etc/netns/a/nsbox-nowhere: /etc/nsbox-nowhere does not exist: not bound" ]
	[ ! -e /etc/nsbox-nowhere ]
}
