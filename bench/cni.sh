#!/bin/sh
# ADD then DEL of the same conflist (bridge + isGateway + ipMasq,
# host-local, portmap with one mapping) through Debian's libcni runtime
# (build/cni-runtime): nsbox's links against the reference plugins
# (/usr/lib/cni), inside scripts/sandbox.  One hyperfine command is one
# ADD + DEL of one container; RUNS runs each.  OUT keeps the JSON.
set -e
RUNS=${RUNS:-20}
OUT=${OUT:-$(mktemp -d)}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT/cni-bin" "$OUT/cni-data"
"$root/build/nsbox" --install -s --cni "$OUT/cni-bin" 2>/dev/null || true
cat >"$OUT/cni.conflist" <<X
{"cniVersion":"1.0.0","name":"benchnet","plugins":[
 {"type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,
  "ipam":{"type":"host-local","dataDir":"$OUT/cni-data","ranges":[[{"subnet":"10.89.0.0/16"}]],
          "routes":[{"dst":"0.0.0.0/0"}]}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
X
ip netns add bc
export CNI_CACHE="$OUT/cni-cache"
pm='[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]'
rt="$root/build/cni-runtime"
cycle() {	# the plugin dir: one ADD and one DEL
	printf 'CNI_PATH=%s %s add %s c1 /run/netns/bc eth0 %s >/dev/null && CNI_PATH=%s %s del %s c1 /run/netns/bc eth0' \
		"$1" "$rt" "$OUT/cni.conflist" "'$pm'" "$1" "$rt" "$OUT/cni.conflist"
}
hyperfine -w 3 -r "$RUNS" --export-json "$OUT/cni.json" \
	"$(cycle "$OUT/cni-bin")" "$(cycle /usr/lib/cni)"
