#!/bin/bash
while pgrep -f "after.sh|final.sh" >/dev/null; do sleep 10; done
cd /work/main
F=/tmp/s13/final
run() { tag=$1; shift; echo "$(date +%T) $tag: $*"; ./lab run "$@" --transport udp --out $F/$tag > $F/$tag.log 2>&1; grep -E "=> (out|in)bound" $F/$tag.log; }
run rtt20-bbr-c two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2 --cc bbr
run rtt20-cubic-c two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2
echo "$(date +%T) done"
