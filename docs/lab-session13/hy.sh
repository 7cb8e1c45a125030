#!/bin/bash
cd /work/main
SCEN="two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20"
i=0
for h in "$@"; do
  out=/tmp/s13/hy-$h-$i; rm -rf $out
  echo $h > /sys/module/tcp_cubic/parameters/hystart
  echo "$(date +%T) hystart=$h -> $out"
  ./lab run $SCEN --repeat 2 --transport udp --out $out > $out.log 2>&1
  grep -E "=> (out|in)bound" $out.log
  i=$((i+1))
done
echo 1 > /sys/module/tcp_cubic/parameters/hystart
echo "$(date +%T) done"
