# Loaded by every tests/*.bats.  Each case runs alone in scripts/sandbox
# (scripts/check sees to it): a private mount, network and PID namespace
# with its own /run and /etc/netns.  Applets are called by their names
# through links to $NSBOX, as users call them.

bats_load_library bats-support
bats_load_library bats-assert

: "${NSBOX:=$BATS_TEST_DIRNAME/../build/nsbox}"

setup() {
	if [ "${NSBOX_SANDBOXED:-}" != 1 ] && [ ! -e /run/sandbox-marker ]; then
		# refuse to touch the real machine's networking
		grep -q sandbox-run /proc/self/mountinfo ||
			skip "not in scripts/sandbox (run through make check)"
	fi
	BIN="$BATS_TEST_TMPDIR/bin"
	mkdir -p "$BIN"
	"$NSBOX" --install -s "$BIN"
	ln -sf "$NSBOX" "$BIN/nsbox"
	PATH="$BIN:$PATH"
	# a file's own fixture, run only once the sandbox is confirmed
	if declare -F setup_world >/dev/null; then
		setup_world
	fi
}

# until CMD: poll CMD for up to 20 s (tests never sleep to synchronise).
# The bound is generous because namespace teardown elsewhere on the machine
# can hold the kernel's pernet lock for seconds.
until_ok() {
	local i
	for i in $(seq 400); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# the first line of stderr of the last `run --separate-stderr`
first_err() {
	printf '%s\n' "$stderr" | head -n 1
}
