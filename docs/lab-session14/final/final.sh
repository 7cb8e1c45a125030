#!/bin/bash
cd /work/main
F=/tmp/s14/final
mkdir -p $F
run() { tag=$1; shift; echo "$(date +%T) $tag: $*"; ./lab run "$@" --transport udp --out $F/$tag > $F/$tag.log 2>&1; grep -E "=> (out|in)bound" $F/$tag.log; }
run issue5-cubic two-equal unequal-10-20 four-equal single rate-halved link-down blackhole --repeat 2
run rtt20-cubic-a two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2
run rtt20-bbr-a two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2 --cc bbr
run issue5-bbr two-equal unequal-10-20 four-equal --repeat 2 --cc bbr
run rtt20-cubic-b two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2
run rtt20-bbr-b two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2 --cc bbr
run issue6 rate-delay three-unequal --repeat 2
run rtt20-cubic-c two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2
run rtt20-bbr-c two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2 --cc bbr
run rtt20-bbr-ecn two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2 --cc bbr --ecn
echo "$(date +%T) done"
