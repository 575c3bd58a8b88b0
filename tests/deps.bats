#!/usr/bin/env bats
# scripts/deps installs every program the tree runs: each program it names
# is on PATH after it ran, and no program the tree names is missing from
# its list.  (make check and make demo run scripts/deps first.)

load helper

# the PATH a fresh root has, without the links to nsbox that setup adds
STD=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
TOP=$BATS_TEST_DIRNAME/..

# words of the tree that name an installed program but are not run here:
# words in messages, JSON keys and jq functions, names of links, devices and
# architectures, and programs run inside busybox containers
NOT_RUN="apt arch arp as bc bridge containerd hostname i386 wget x86_64 cluster dd dir duplicates expr gc init join kvm
last link more node opt pr red reset route script size strip sum w wall which who
write"

# every word outside comments in what runs on this machine: the Makefile,
# the shell scripts of scripts/ and bench/, the tests' bats and bash files
# (not tests/vm/init: busybox runs it, inside the VM; not scripts/deps,
# whose list names packages)
words() {
	local f
	for f in "$TOP"/Makefile "$TOP"/scripts/* "$TOP"/bench/run "$TOP"/bench/*.sh \
		"$TOP"/bench/ref/*.sh "$TOP"/tests/*.bats "$TOP"/tests/*.bash; do
		case $f in *.c | *.awk | */scripts/deps) continue ;; esac
		sed -E 's/(^|[[:space:]])#.*$//' "$f"
	done | grep -oE '[A-Za-z_][A-Za-z0-9_.+-]*' | sort -u
}

# the programs installed in $STD
programs() {
	find -L ${STD//:/ } -mindepth 1 -maxdepth 1 -type f -perm /111 -printf '%f\n' 2>/dev/null |
		sort -u
}

@test "deps: every package scripts/deps names is installed" {
	local pkgs missing
	pkgs=$("$TOP/scripts/deps" --packages)
	[ "$(wc -l <<<"$pkgs")" -gt 50 ]
	# (a foreign or Multi-Arch: same package is named with its :ARCH)
	missing=$(grep -vFx -f <(dpkg-query -W -f='${Package} ${binary:Package} ${Status}\n' $pkgs \
		2>/dev/null | sed -n 's/ install ok installed$//p' | tr ' ' '\n') <<<"$pkgs") || [ $? = 1 ]	# 1: none
	[ -z "$missing" ] || fail "not installed: $(echo $missing)"
	# and a run now installs nothing
	run "$TOP/scripts/deps"
	assert_success
	assert_output ""
}

@test "deps: every program scripts/deps names is on PATH" {
	local c missing=()
	run "$TOP/scripts/deps" --commands
	assert_success
	[ ${#lines[@]} -gt 90 ]
	for c in "${lines[@]}"; do
		PATH=$STD command -v "$c" >/dev/null || missing+=("$c")
	done
	[ ${#missing[@]} -eq 0 ] || fail "not on PATH: ${missing[*]}"
}

@test "deps: no program the tree names is missing from scripts/deps" {
	local named unlisted w
	named=$(words | grep -Fx -f <(programs))
	unlisted=$(grep -vFx -f <("$TOP/scripts/deps" --commands; tr -s ' \n' '\n\n' <<<"$NOT_RUN") \
		<<<"$named") || [ $? = 1 ]	# 1: none
	[ -z "$unlisted" ] ||
		fail "run by the tree, not in scripts/deps (or NOT_RUN in tests/deps.bats): $(echo $unlisted)"
	# the check sees the programs the tree runs
	for w in ip mount unshare jq nft bats; do
		grep -qx "$w" <<<"$named"
	done
}
