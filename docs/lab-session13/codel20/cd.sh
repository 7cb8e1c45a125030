#!/bin/bash
cd /work/main
i=${START:-0}
for spec in "$@"; do
  arm=${spec%%:*}; cc=${spec##*:}
  out=/tmp/s13/cd-$arm-$cc-$i; rm -rf $out
  echo "$(date +%T) $arm $cc -> $out"
  MPL_PORTAL_JAR=/tmp/s13/portal-$arm.jar ./lab run two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20 single --repeat 2 --transport udp --cc $cc --out $out > $out.log 2>&1
  grep -E "=> (out|in)bound" $out.log
  i=$((i+1))
done
echo "$(date +%T) done"
