#!/bin/sh
# The seed workflow (bench/ref/seed004_ip.sh) written with nsbox; runs in a
# sandbox with the applets on PATH. VERIFY=1 adds the simulated internet and
# checks the result with iputils ping.
set -e
if [ -n "${VERIFY:-}" ]; then
	vethadd -a 198.51.100.1/24 -A 198.51.100.2/24 uplink inet:wan0 2>/dev/null ||
		{ nsadd inet; vethadd -a 198.51.100.1/24 -A 198.51.100.2/24 uplink inet:wan0; }
	ipaddr -n inet add 192.0.2.53/32 dev lo
	iproute add default via 198.51.100.2
fi
nsadd earth neptune
bradd planet-br 10.10.0.1/16
vethadd -a 10.10.0.10/16 -m planet-br earth:earth-veth earth-br-veth
vethadd -a 10.10.0.20/16 -m planet-br neptune:neptune-veth neptune-br-veth
iproute -n earth add default via 10.10.0.1
iproute -n neptune add default via 10.10.0.1
natmasq 10.10.0.0/16 -o '!planet-br'
natdnat -p tcp 198.51.100.1:8000 10.10.0.10:8000
if [ -n "${VERIFY:-}" ]; then
	ip netns exec earth ping -c1 -W1 10.10.0.20
	ip netns exec earth ping -c1 -W1 192.0.2.53
fi
