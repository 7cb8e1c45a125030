#!/bin/bash
# A/B in turns. usage: ab.sh TAG ARMS... (ARM = jar suffix: $AB_DIR/portal-ARM.jar, AB_DIR default /tmp/s9); scenarios from $SCEN, extra args $LABARGS
cd /work/main
TAG=$1; shift
D=${AB_DIR:-/tmp/s9}
i=0
for arm in "$@"; do
  out=$D/ab-$TAG-$arm-$i
  rm -rf $out
  echo "$(date +%T) arm $arm -> $out"
  MPL_PORTAL_JAR=$D/portal-$arm.jar ./lab run $SCEN --repeat ${REPEAT:-2} --transport udp $LABARGS --out $out > $out.log 2>&1
  grep -E "=> (out|in)bound" $out.log
  i=$((i+1))
done
echo "$(date +%T) done"
