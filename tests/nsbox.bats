#!/usr/bin/env bats
# dispatch: nsbox APPLET, links named after applets, --list/--install/--version

load helper

@test "nsbox: --list names every applet, one a line" {
	run nsbox --list
	assert_success
	assert_line nsadd
	assert_line nsexec
	[ "$(printf '%s\n' "${lines[@]}" | sort -c && echo sorted)" = sorted ]
}

@test "nsbox: nsbox APPLET and a link do the same" {
	nsbox nsadd via-multi
	nsadd via-link
	[ "$(ip netns list | sort | tr '\n' ' ')" = "via-link via-multi " ]
}

@test "nsbox: unknown applet exits 127" {
	fails 127 "nsbox: frobnicate: applet not found" nsbox frobnicate
	ln -s "$NSBOX" "$BATS_TEST_TMPDIR/bin/frob"
	fails 127 "nsbox: frob: applet not found" frob
}

@test "nsbox: --install makes hard links, -s symbolic ones" {
	# on one filesystem of the sandbox's own, wherever /tmp and the
	# checkout live: a copy of the binary beside the two directories (across
	# filesystems: hostile.bats)
	local fs=$BATS_TEST_TMPDIR/fs d s
	mkdir "$fs"
	mount -t tmpfs -o size=8m same-fs "$fs"
	cp "$NSBOX" "$fs/nsbox"
	d="$fs/hard"; s="$fs/soft"
	mkdir "$d" "$s"
	run --separate-stderr "$fs/nsbox" --install "$d"
	assert_success
	[ -z "$stderr" ]
	"$fs/nsbox" --install -s "$s"
	for a in $("$fs/nsbox" --list); do
		[ ! -L "$d/$a" ]
		[ "$(stat -c %i "$d/$a")" = "$(stat -c %i "$fs/nsbox")" ]
		[ "$(readlink "$s/$a")" = "$fs/nsbox" ]
	done
	[ "$(ls "$d" | wc -l)" = "$("$fs/nsbox" --list | wc -l)" ]
	"$d/nsadd" hard-made
	"$s/nsadd" soft-made
	[ "$(ip netns list | sort | tr '\n' ' ')" = "hard-made soft-made " ]
	umount "$fs"
}

@test "nsbox: --help and no arguments print usage, --version a version" {
	run nsbox
	assert_success
	assert_line --partial "usage: nsbox APPLET"
	run nsbox --help
	assert_success
	run nsbox --version
	assert_success
	assert_output --regexp '^nsbox [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "nsbox: the static build is statically linked, the others link the system's libmnl" {
	case "$NSBOX" in
	*nsbox-libmnl|*nsbox-san)
		file -L "$NSBOX" | grep -q "dynamically linked"
		ldd "$NSBOX" | grep -Eq '^\s*libmnl\.so\.[0-9]+ => /' ;;
	*)
		file -L "$NSBOX" | grep -q "statically linked"
		! ldd "$NSBOX" 2>/dev/null | grep -q '=>' ;;
	esac
}

@test "nsbox: refuses to run setuid" {
	# on the sandbox's own /run (a tmpfs /tmp is often nosuid, where the
	# kernel runs a setuid binary as any other)
	local d=/run/suid
	mkdir -m 0755 "$d"
	cp "$NSBOX" "$d/nslist"
	chmod 4755 "$d/nslist"
	fails 1 "nsbox: refusing to run setuid, setgid or with file capabilities" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$d/nslist"
}
