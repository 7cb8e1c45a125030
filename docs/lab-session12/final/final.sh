#!/bin/bash
cd /work/main
J=/tmp/s12/portal-base.jar
F=/tmp/s12/final
mkdir -p $F
echo "$(date +%T) cubic"
MPL_PORTAL_JAR=$J ./lab run two-equal unequal-10-20 four-equal single rate-halved link-down blackhole --repeat 2 --transport udp --out $F/issue5-cubic > $F/issue5-cubic.log 2>&1
echo "$(date +%T) bbr"
MPL_PORTAL_JAR=$J ./lab run two-equal unequal-10-20 four-equal --repeat 2 --transport udp --cc bbr --out $F/issue5-bbr > $F/issue5-bbr.log 2>&1
echo "$(date +%T) issue6"
MPL_PORTAL_JAR=$J ./lab run rate-delay three-unequal --repeat 2 --transport udp --out $F/issue6 > $F/issue6.log 2>&1
echo "$(date +%T) bbr+ecn rtt20"
MPL_PORTAL_JAR=$J ./lab run two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 --repeat 2 --transport udp --cc bbr --ecn --out $F/rtt20-bbr-ecn > $F/rtt20-bbr-ecn.log 2>&1
echo "$(date +%T) done"
