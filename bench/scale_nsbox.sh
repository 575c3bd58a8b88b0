#!/bin/sh
# N namespaces on one bridge with nsbox, one command per step
# (the same topology as bench/ref/scale_ip.sh).
set -e
N=${N:-100}
bradd br0 10.20.0.1/16
i=1
while [ $i -le $N ]; do
	nsadd ns$i
	vethadd -a 10.20.$((i/250)).$((i%250+2))/16 -m br0 ns$i:eth0 v$i
	iproute -n ns$i add default via 10.20.0.1
	i=$((i+1))
done
natmasq 10.20.0.0/16 -o '!br0'
test "$(ls /run/netns | wc -l)" -ge "$N"
