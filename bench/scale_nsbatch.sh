#!/bin/sh
# N namespaces on one bridge with one nsbox batch (nsbox -b -).
set -e
N=${N:-100}
{
	echo "bradd br0 10.20.0.1/16"
	i=1
	while [ $i -le $N ]; do
		echo "nsadd ns$i"
		echo "vethadd -a 10.20.$((i/250)).$((i%250+2))/16 -m br0 ns$i:eth0 v$i"
		echo "iproute -n ns$i add default via 10.20.0.1"
		i=$((i+1))
	done
	echo "natmasq 10.20.0.0/16 -o !br0"
} | nsbox -b -
test "$(ls /run/netns | wc -l)" -ge "$N"
