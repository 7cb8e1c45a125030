#!/bin/bash
cd /work/main
F=/tmp/s14/cold
run() { tag=$1; shift; echo "$(date +%T) $tag: $*"; ./lab run "$@" --transport udp --out $F/$tag > $F/$tag.log 2>&1; grep -E "=> (out|in)bound" $F/$tag.log; }
run cold-bbr two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2 --cc bbr --cold
run cold-cubic two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2 --cold
echo "$(date +%T) done"
