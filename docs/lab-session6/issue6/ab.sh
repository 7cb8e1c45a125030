#!/bin/bash
# A/B in turns: round r, group g: arms alternate (round 1: A first; round 2: B first)
cd /work/hA
OUT=/tmp/hA/ab
mkdir -p $OUT
run() { # arm round group scenarios...
  arm=$1; r=$2; g=$3; shift 3
  d=$OUT/$arm-r$r-$g
  echo "$(date -u +%H:%M:%S) start $arm r$r $g $*" >> $OUT/log
  MPL_PORTAL_JAR=/tmp/hA-$arm.jar ./lab run "$@" --repeat 2 --transport udp --out $d > $d.log 2>&1
  echo "$(date -u +%H:%M:%S) end $arm r$r $g rc=$?" >> $OUT/log
}
G1="rate-delay three-unequal"
G2="two-equal four-equal link-down blackhole"
for r in ${ROUNDS:-1 2}; do
  if [ $((r % 2)) -eq 1 ]; then first=A; second=B; else first=B; second=A; fi
  run $first $r g1 $G1; run $second $r g1 $G1
  run $second $r g2 $G2; run $first $r g2 $G2
done
echo "$(date -u +%H:%M:%S) done" >> $OUT/log
