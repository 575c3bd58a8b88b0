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
	d="$BATS_TEST_TMPDIR/hard"; s="$BATS_TEST_TMPDIR/soft"
	mkdir "$d" "$s"
	nsbox --install "$d"
	nsbox --install -s "$s"
	for a in $(nsbox --list); do
		[ "$(stat -c %i "$d/$a")" = "$(stat -L -c %i "$NSBOX")" ]
		[ -L "$s/$a" ]
	done
	"$d/nsadd" hard-made
	ip netns list | grep -qx hard-made
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

@test "nsbox: the static build is statically linked" {
	case "$NSBOX" in *nsbox-libmnl|*nsbox-san) skip "dynamic build by design" ;; esac
	file -L "$NSBOX" | grep -q "statically linked"
}

@test "nsbox: refuses to run setuid" {
	d=$(mktemp -d /tmp/nsbox-suid.XXXXXX)
	chmod 755 "$d"
	cp "$NSBOX" "$d/nslist"
	chmod 4755 "$d/nslist"
	fails 1 "nsbox: refusing to run setuid, setgid or with file capabilities" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$d/nslist" || { rm -rf "$d"; false; }
	rm -rf "$d"
}
