#!/bin/bash
# usage: ecnab.sh TAG CC ARMS...  (ARM = noecn|ecn), same jar
cd /work/main
TAG=$1; CC=$2; shift 2
i=0
for arm in "$@"; do
  out=/tmp/s12/ecn/$TAG-$arm-$i
  extra=""; [ $arm = ecn ] && extra="--ecn"
  echo "$(date +%T) arm $arm -> $out"
  MPL_PORTAL_JAR=/tmp/s12/portal-ecn.jar ./lab run $SCEN --repeat ${REPEAT:-2} --transport udp --cc $CC $extra --out $out > $out.log 2>&1
  grep -E "=> (out|in)bound" $out.log
  i=$((i+1))
done
echo "$(date +%T) done"
