# Sourced by bench/cni.sh and bench/cni_parallel.sh: what both set up
# before timing ADD and DEL through Debian's libcni runtime.
#   root, rt        the checkout and its build/cni-runtime
#   OUT             the results' directory (default: a new temporary one)
#   cni_links DIR   DIR made anew, holding nsbox's CNI links
#   cni_conflist FILE NAME BRIDGE SUBNET DATADIR [ROUTES]
#                   the conflist of both: bridge (isGateway, ipMasq) with
#                   host-local on SUBNET, then portmap; ROUTES a JSON list
# shellcheck disable=SC2034  # rt: for the benches that source this
OUT=${OUT:-$(mktemp -d)}
root=$(cd "$(dirname "$0")/.." && pwd)
rt=$root/build/cni-runtime

cni_links() {
	rm -rf "$1"
	mkdir -p "$1"
	"$root/build/nsbox" --install -s --cni "$1"
}

cni_conflist() {
	local routes=${6:+',"routes":'$6}
	cat >"$1" <<X
{"cniVersion":"1.0.0","name":"$2","plugins":[
 {"type":"bridge","bridge":"$3","isGateway":true,"ipMasq":true,
  "ipam":{"type":"host-local","dataDir":"$5","ranges":[[{"subnet":"$4"}]]$routes}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
X
}
