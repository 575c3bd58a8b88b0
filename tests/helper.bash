# Loaded by every tests/*.bats.  Each case runs alone in scripts/sandbox
# (scripts/check sees to it): a private mount, network and PID namespace
# with its own /run and /etc/netns.  Applets are called by their names
# through links to $NSBOX, as users call them.

# shellcheck disable=SC2154  # status, output, lines, stderr, stderr_lines: run sets them
# bats-support and bats-assert: their files sourced here, because their
# load.bash forks a dirname for each file (bats loads this twice a case)
nsb_load() {	# nsb_load LIB
	local d f
	for d in ${BATS_LIB_PATH//:/ } /usr/lib/bats; do
		[ -d "$d/$1/src" ] || continue
		for f in "$d/$1"/src/*.bash; do
			# shellcheck disable=SC1090
			source "$f"
		done
		return 0
	done
	bats_load_library "$1"
}
nsb_load bats-support
nsb_load bats-assert

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
	local _
	for _ in $(seq 400); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# nothing CMD [ARG...]: CMD succeeds and prints nothing (else the case
# fails, showing CMD's status and output).  `[ -z "$(CMD)" ]` would pass
# when CMD itself failed: an oracle that cannot answer says nothing.
nothing() {
	local out st=0
	out=$("$@") || st=$?
	[ "$st" = 0 ] && [ -z "$out" ] && return 0
	printf 'nothing: %s: status %s, printed:\n%s\n' "$(printf '%q ' "$@")" "$st" "$out" >&2
	return 1
}

# blocked WHY CMD [ARG...]: the traffic probe CMD (a socat client) fails,
# saying WHY ("Connection refused": no listener, no mapping; "Connection
# timed out": dropped).  A bare `! CMD` would pass when the probe itself is
# broken (no such command, option, namespace, server).
blocked() {
	local why=$1 out st=0
	shift
	out=$("$@" 2>&1 </dev/null) || st=$?
	[ "$st" != 0 ] && [[ $out == *"$why"* ]] && return 0
	printf 'blocked: %s: status %s, want a failure saying "%s", printed:\n%s\n' \
		"$(printf '%q ' "$@")" "$st" "$why" "$out" >&2
	return 1
}

# jqr FILTER CMD [ARG...]: CMD's JSON through `jq -rc FILTER` (strings raw,
# the rest one line each); fails when CMD or jq does (a pipe would not)
jqr() {
	local f=$1 out
	shift
	out=$("$@") || return
	jq -rc "$f" <<<"$out"
}

# store_ips DIR: the addresses host-local's store DIR holds (its entries
# but lock and last_reserved_ip.N); fails when DIR is not a directory
store_ips() {
	local f
	[ -d "$1" ] || { echo "store_ips: $1: no such directory" >&2; return 1; }
	for f in "$1"/*; do
		case ${f##*/} in
		'*' | lock | last_reserved_ip.*) ;;
		*) echo "${f##*/}" ;;
		esac
	done
}

# the first line of stderr of the last `run --separate-stderr`
first_err() {
	printf '%s\n' "$stderr" | head -n 1
}

# fails STATUS MSG CMD [ARG...]: CMD exits STATUS and the first line of its
# stderr is exactly MSG.  toybox's `testing`, for errors: a case one line.
# CMD runs as given; an applet's name finds the link to $NSBOX that setup
# put first on PATH.  $status, $output (stdout) and $stderr stay set.
fails() { fails_check exact "$@"; }

# fails_prefix STATUS MSG CMD [ARG...]: as fails, but the first line of
# stderr only starts with MSG (the kernel's extended ack may follow)
fails_prefix() { fails_check prefix "$@"; }

# fails_quiet STATUS MSG CMD [ARG...]: as fails, and stdout stays empty
fails_quiet() { fails_check quiet "$@"; }

# fails_batch [-f] STATUS "N: MSG" LINE...: `nsbox [-f] -b FILE` of a file
# holding the LINEs exits STATUS, its first line of stderr "FILE:N: MSG"
fails_batch() {
	local f="$BATS_TEST_TMPDIR/batch" opt=()
	if [ "$1" = -f ]; then
		opt=(-f)
		shift
	fi
	local want=$1 msg=$2
	shift 2
	printf '%s\n' "$@" >"$f"
	fails_check exact "$want" "$f:$msg" nsbox "${opt[@]}" -b "$f" ||
		{ echo "batch file $f:"; cat -n "$f"; return 1; } >&2
}

# fails_check exact|prefix|quiet STATUS MSG CMD [ARG...]: the three above;
# a mismatch prints what was wanted next to what came, and returns 1
fails_check() {
	local how=$1 want=$2 msg=$3 got why=()
	shift 3
	run --separate-stderr "$@"
	got=$(first_err)
	[ "$status" -eq "$want" ] || why+=("exit status")
	if [ "$how" = prefix ]; then
		[[ $got == "$msg"* ]] || why+=("start of stderr")
	else
		[ "$got" = "$msg" ] || why+=("first line of stderr")
	fi
	[ "$how" != quiet ] || [ -z "$output" ] || why+=("stdout not empty")
	[ ${#why[@]} -gt 0 ] || return 0
	{
		printf -- '-- fails: %s --\n' "$(printf '%s, ' "${why[@]}" | sed 's/, $//')"
		printf 'command : %s\n' "$(printf '%q ' "$@")"
		printf 'status  : %s, want %s\n' "$status" "$want"
		printf 'stderr  : %s\n' "$got"
		printf 'want    : %s%s\n' "$msg" "$([ "$how" != prefix ] || echo '... (prefix)')"
		if [ "${#stderr_lines[@]}" -gt 1 ]; then
			printf '  stderr: %s\n' "${stderr_lines[@]:1}"
		fi
		if [ -n "$output" ]; then
			printf '  stdout: %s\n' "${lines[@]}"
		fi
		echo --
	} >&2
	return 1
}

# cni_world: the fixture of the files that drive nsbox's CNI plugins through
# libcni and against the reference plugins: RUNTIME (build/cni-runtime),
# REF (/usr/lib/cni), PLUG (a directory of links to nsbox), DATA (for
# host-local's store), CNI_CACHE (libcni's) and the namespaces c1 and c2.
# Without the runtime or the reference the case fails: it cannot compare.
# shellcheck disable=SC2034  # REF, DATA: for the files that call it
cni_world() {
	RUNTIME="$BATS_TEST_DIRNAME/../build/cni-runtime"
	REF=/usr/lib/cni
	[ -x "$RUNTIME" ] || fail "build/cni-runtime missing (make build/cni-runtime)"
	[ -x $REF/bridge ] || fail "containernetworking-plugins missing (scripts/deps installs it)"
	PLUG="$BATS_TEST_TMPDIR/cni"
	mkdir -p "$PLUG"
	"$NSBOX" --install -s --cni "$PLUG"
	DATA="$BATS_TEST_TMPDIR/data"
	export CNI_CACHE="$BATS_TEST_TMPDIR/cache"
	ip netns add c1
	ip netns add c2
}
