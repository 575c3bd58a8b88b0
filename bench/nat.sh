#!/bin/sh
# natdnat against iptables (-t nat -A PREROUTING ... -j DNAT), run inside
# scripts/sandbox with the nsbox applets on PATH:
#   1. one forward: one natdnat call vs one iptables call, the rule removed
#      before each run (the table and chains stay, as on a used machine);
#   2. N forwards (N=1000): one `nsbox -b FILE` vs N iptables calls, from an
#      empty ruleset each run.
# RUNS sets the run count of case 2; OUT (a directory) keeps the JSON.
set -e
N=${N:-1000}
RUNS=${RUNS:-5}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
b=$OUT/nat-batch.txt
s=$OUT/nat-iptables.sh
i=1
: >"$b"
echo 'set -e' >"$s"
while [ $i -le "$N" ]; do
	p=$((20000 + i))
	echo "natdnat -p tcp 198.51.100.1:$p 10.10.0.10:$p" >>"$b"
	echo "iptables -t nat -A PREROUTING -d 198.51.100.1 -p tcp --dport $p -j DNAT --to-destination 10.10.0.10:$p" >>"$s"
	i=$((i + 1))
done

nft flush ruleset
# each prepare removes what the run before made
iptables -t nat -A PREROUTING -d 198.51.100.1 -p tcp --dport 8000 -j DNAT --to-destination 10.10.0.10:8000
hyperfine -N -w 20 -r 300 --export-json "$OUT/nat-one.json" \
	--prepare 'natdnat -e -d -p tcp 198.51.100.1:8000 10.10.0.10:8000' \
	'natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000' \
	--prepare 'iptables -t nat -D PREROUTING -d 198.51.100.1 -p tcp --dport 8000 -j DNAT --to-destination 10.10.0.10:8000' \
	'iptables -t nat -A PREROUTING -d 198.51.100.1 -p tcp --dport 8000 -j DNAT --to-destination 10.10.0.10:8000'

hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/nat-many.json" \
	--prepare 'nft flush ruleset' "nsbox -b $b" \
	--prepare 'nft flush ruleset' "sh $s"
test "$(nft -j list ruleset | jq '[.nftables[] | select(.rule.table == "nat")] | length')" = "$N"
