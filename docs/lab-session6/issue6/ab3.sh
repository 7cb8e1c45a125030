#!/bin/bash
cd /work/hA
OUT=/tmp/hA/ab
while kill -0 5071 2>/dev/null; do sleep 2; done
echo "$(date -u +%H:%M:%S) end D r3-g1 (orphaned run)" >> $OUT/log
run() { arm=$1; tag=$2; shift 2; d=$OUT/$arm-$tag
  if [ "$(date -u +%H%M)" -ge 1840 ]; then echo "$(date -u +%H:%M:%S) skip $arm $tag (too late)" >> $OUT/log; return; fi
  echo "$(date -u +%H:%M:%S) start $arm $tag $*" >> $OUT/log
  MPL_PORTAL_JAR=/tmp/hA-$arm.jar ./lab run "$@" --repeat 2 --transport udp --out $d > $d.log 2>&1
  echo "$(date -u +%H:%M:%S) end $arm $tag rc=$?" >> $OUT/log; }
run E r3-g2 two-equal four-equal link-down blackhole
run B r3-g1 rate-delay three-unequal
run A r3-g2 two-equal four-equal link-down blackhole
run C r3-g1 rate-delay three-unequal
echo "$(date -u +%H:%M:%S) done3" >> $OUT/log
