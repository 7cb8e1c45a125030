#!/bin/bash
# usage: sssample.sh PREFIX OUT  (samples inner TCP state in client and server namespaces every 20 ms)
P=$1; OUT=$2
while ip netns list | grep -q "^$P-c"; do
  t=$(date +%s.%N)
  c=$(ip netns exec $P-c ss -tin state established 2>/dev/null | grep -A1 ':5201' | tr '\n' ' ')
  s=$(ip netns exec $P-s ss -tin state established 2>/dev/null | grep -A1 ':5201' | tr '\n' ' ')
  echo "$t C $c" >> $OUT; echo "$t S $s" >> $OUT
  sleep 0.02
done
