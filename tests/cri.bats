#!/usr/bin/env bats
# Under the Kubernetes node path: containerd's CRI plugin (Debian's 1.6) runs
# the CNI plugins for every pod sandbox, driven by tests/cri/cri.py (a CRI
# client of our own on python3-grpcio).  containerd runs with a private
# config, root, state and sockets (tests/cri/helper.bash), a pause image
# built here from busybox-static, and `disable_cgroup = true`.  Each case
# runs twice: with the reference plugins (/usr/lib/cni) as the plugin
# directory, and with a directory holding only links to nsbox.  Checked with
# independent oracles: traffic (socat, busybox wget inside the pod), ip -j in
# the pod's namespace, nft -j, host-local's store, and containerd's own
# answers; after each case nothing may be left (cri_leftovers).

bats_require_minimum_version 1.5.0
load helper
load engine
load cri/helper

setup_world() {
	command -v containerd >/dev/null && command -v runc >/dev/null ||
		skip "containerd or runc missing"
	/usr/bin/python3 -c 'import grpc, google.protobuf' 2>/dev/null ||
		skip "python3-grpcio or python3-protobuf missing"
	[ -x /bin/busybox ] || skip "busybox-static missing"
	T=$BATS_TEST_TMPDIR
	cri_mounts "$T"
	mkdir -p "$T/nsbox-cni"
	"$NSBOX" --install -s --cni "$T/nsbox-cni"
}

teardown() {
	# a failed case says what it left, for the report (it fails either way)
	engine_peer_gone
	[ ! -e "${CT:-/nonexistent}/containerd.pid" ] || engine_report cri_leftovers
	cri_kill_all
}

# world ref|nsbox v4|dual: containerd on that plugin directory and stack.
# The reference does not depend on the nsbox build: it runs with build/nsbox
# only, not again with the other builds.
world() {
	local dir=/usr/lib/cni hairpin=true
	if [ "$1" = ref ]; then
		[ "${NSBOX##*/}" = nsbox ] || skip "reference plugins: run with build/nsbox only"
	else
		dir=$T/nsbox-cni
	fi
	# dual stack without hairpinMode: IPv6 duplicate address detection stays on
	[ "$2" = dual ] && hairpin=false
	cri_world "$T/ct" "$dir" "$2" "$hairpin"
	cri_start
}

# the pods' web server: busybox httpd answering the pod's name on port 80.
# Their client is busybox wget without -T (1.35's -T segfaults): ExecSync's
# own timeout bounds it instead.
WEB='mkdir -p /tmp/www && hostname >/tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www'

# pod NAME [PORTMAPPING...]: a sandbox with a web server answering its name
# on port 80; sets POD (sandbox id), CTR (the web container)
pod() {
	POD=$(cri runp "$@")
	CTR=$(cri run "$POD" "$1" web "$CRI_IMAGE" sh -c "$WEB")
}

# serves NAME HOST PORT: until the web server answers NAME (the container
# starts asynchronously), bounded
serves() {
	until_ok answers "$@"
}
answers() { [ "$(engine_get "$2" "$3" 2>/dev/null)" = "$1" ]; }

# stop_remove ID...: StopPodSandbox and RemovePodSandbox each
stop_remove() {
	local id
	for id in "$@"; do
		cri stopp "$id"
		cri rmp "$id"
	done
}

case_hostport() {
	world "$1" v4
	engine_peer
	pod web1 18080:80
	ip=$(cri ips "$POD")
	[[ $ip == 10.88.0.* ]]
	[ "$(cri state "$POD")" = SANDBOX_READY ]
	# the address containerd reports is the pod's eth0's, per ip -j in its namespace
	netns=$(cri netns "$POD")
	nsenter --net="$netns" ip -j addr show eth0 |
		jq -e --arg ip "$ip" '.[0].addr_info[] | select(.family == "inet" and .local == $ip and .prefixlen == 24)'
	serves web1 "$ip" 80
	# from another namespace, to the host's address on its link
	run -0 ip netns exec peer sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 socat -T3 - TCP:192.168.99.1:18080 | tail -n 1"
	[ "$output" = web1 ]
	# from the host itself (the sandbox's root namespace), to its addresses
	[ "$(engine_get 10.88.0.1 18080)" = web1 ]
	[ "$(engine_get 192.168.99.1 18080)" = web1 ]
	# hairpin: the pod reaches its own host port
	run -0 cri exec "$CTR" wget -q -O - http://192.168.99.1:18080/
	[ "$output" = web1 ]
	run -0 cri exec "$CTR" wget -q -O - http://10.88.0.1:18080/
	[ "$output" = web1 ]
	stop_remove "$POD"
	# the mapping is gone with the pod: the host itself refuses (one left
	# behind would forward to the pod's address, now nobody's: no answer)
	blocked "Connection refused" timeout 10 socat -T3 - TCP:192.168.99.1:18080
	engine_peer_gone
	cri_nothing_left "$POD" "$ip"
}

case_localhost() {
	world "$1" v4
	pod web1 18081:80
	ip=$(cri ips "$POD")
	serves web1 "$ip" 80
	[ "$(engine_get 127.0.0.1 18081)" = web1 ]
	stop_remove "$POD"
	cri_nothing_left "$POD" "$ip"
}

case_pod2pod() {
	world "$1" dual
	pod a
	a=$POD actr=$CTR
	pod b
	b=$POD
	mapfile -t aip < <(cri ips "$a")
	mapfile -t bip < <(cri ips "$b")
	# one IPv4 and one IPv6 address each, in the ranges, on eth0
	[ ${#aip[@]} -eq 2 ]
	[ ${#bip[@]} -eq 2 ]
	[[ ${aip[0]} == 10.88.0.* && ${bip[0]} == 10.88.0.* ]]
	[[ ${aip[1]} == fd00:88::* && ${bip[1]} == fd00:88::* ]]
	nsenter --net="$(cri netns "$b")" ip -j addr show eth0 |
		jq -e --arg ip "${bip[1]}" '.[0].addr_info[] | select(.family == "inet6" and .local == $ip and .prefixlen == 64)'
	serves b "${bip[0]}" 80
	# a to b over IPv4 and IPv6, from inside pod a
	run -0 cri exec "$actr" wget -q -O - "http://${bip[0]}/"
	[ "$output" = b ]
	run -0 cri exec "$actr" wget -q -O - "http://[${bip[1]}]/"
	[ "$output" = b ]
	# and the host to each over IPv6
	[ "$(engine_get "[${aip[1]}]" 80)" = a ]
	stop_remove "$a" "$b"
	cri_nothing_left "$a" "$b" "${aip[@]}" "${bip[@]}"
}

case_exec() {
	world "$1" v4
	pod e1
	ip=$(cri ips "$POD")
	# the container sees the address containerd reports, and its route out
	run -0 cri exec "$CTR" ip -o -4 addr show eth0
	[[ $output == *"inet $ip/24 "* ]]
	run -0 cri exec "$CTR" ip route
	[[ $output == *"default via 10.88.0.1 dev eth0"* ]]
	run -0 cri exec "$CTR" hostname
	[ "$output" = e1 ]
	# the command's exit status and stderr come back
	run -3 cri exec "$CTR" sh -c 'echo oops >&2; exit 3'
	[ "$output" = oops ]
	stop_remove "$POD"
	cri_nothing_left "$POD" "$ip"
}

case_stop_twice() {
	world "$1" v4
	pod s1 18082:80
	ip=$(cri ips "$POD")
	netns=$(cri netns "$POD")
	serves s1 "$ip" 80
	cri stopp "$POD"
	[ "$(cri state "$POD")" = SANDBOX_NOTREADY ]
	# Stop released the network: the namespace, the veth, the address, the rules
	[ ! -e "$netns" ]
	nothing find "$CT/data" -name "$ip"
	# a second Stop and the Remove call DEL again, with no namespace
	cri stopp "$POD"
	cri rmp "$POD"
	# RemovePodSandbox is idempotent too
	cri rmp "$POD"
	cri_nothing_left "$POD" "$ip"
}

case_restart() {
	world "$1" v4
	pod r1 18083:80
	r1=$POD
	pod r2
	r2=$POD r2ctr=$CTR
	ip1=$(cri ips "$r1")
	ip2=$(cri ips "$r2")
	serves r1 "$ip1" 80
	cri_stop
	# the pods run on without containerd
	[ "$(engine_get "$ip1" 80)" = r1 ]
	cri_start
	[ "$(cri state "$r1")" = SANDBOX_READY ]
	[ "$(cri state "$r2")" = SANDBOX_READY ]
	[ "$(cri ips "$r1")" = "$ip1" ]
	run -0 cri exec "$r2ctr" wget -q -O - "http://$ip1/"
	[ "$output" = r1 ]
	[ "$(engine_get 10.88.0.1 18083)" = r1 ]
	stop_remove "$r1" "$r2"
	cri_nothing_left "$r1" "$r2" "$ip1" "$ip2"
}

case_parallel() {
	world "$1" dual
	# 16 RunPodSandbox calls at once (one client, a thread each)
	cri runp-par par 16 >"$T/ids"
	mapfile -t ids <"$T/ids"
	[ ${#ids[@]} -eq 16 ]
	# 16 ready sandboxes, 16 distinct IPv4 and 16 distinct IPv6 addresses
	cri inspect "${ids[@]}" >"$T/status"
	[ "$(grep -c ' SANDBOX_READY 10\.88\.0\.[0-9]* fd00:88::[0-9a-f]*$' "$T/status")" -eq 16 ]
	cut -d' ' -f3- "$T/status" | tr ' ' '\n' >"$T/ips"
	[ "$(sort -u "$T/ips" | wc -l)" -eq 32 ]
	# each answers, over both
	while read -r a; do
		ping -c 1 -W 5 "$a" >/dev/null || { echo "no answer from $a"; false; }
	done <"$T/ips"
	# 16 Stop+Remove at once
	cri rmp-par "${ids[@]}"
	cri_nothing_left "${ids[@]}"
}

@test "cri reference: RunPodSandbox with a hostPort: from another namespace, the host, hairpin" { case_hostport ref; }
@test "cri nsbox: RunPodSandbox with a hostPort: from another namespace, the host, hairpin" { case_hostport nsbox; }
@test "cri reference: 127.0.0.1:hostPort from the host" { case_localhost ref; }
@test "cri nsbox: 127.0.0.1:hostPort from the host" { case_localhost nsbox; }
@test "cri reference: pod to pod over IPv4 and IPv6 (dual stack)" { case_pod2pod ref; }
@test "cri nsbox: pod to pod over IPv4 and IPv6 (dual stack)" { case_pod2pod nsbox; }
@test "cri reference: ExecSync inside the pod: its address, route, exit status" { case_exec ref; }
@test "cri nsbox: ExecSync inside the pod: its address, route, exit status" { case_exec nsbox; }
@test "cri reference: StopPodSandbox twice, RemovePodSandbox twice" { case_stop_twice ref; }
@test "cri nsbox: StopPodSandbox twice, RemovePodSandbox twice" { case_stop_twice nsbox; }
@test "cri reference: containerd restarts while pods run, then Stop and Remove" { case_restart ref; }
@test "cri nsbox: containerd restarts while pods run, then Stop and Remove" { case_restart nsbox; }
@test "cri reference: 16 pods in parallel, dual stack" { case_parallel ref; }
@test "cri nsbox: 16 pods in parallel, dual stack" { case_parallel nsbox; }
