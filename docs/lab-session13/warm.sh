#!/bin/bash
cd /work/main
SCEN="two-equal-rtt20 unequal-10-20-rtt20 four-equal-rtt20"
i=0
for spec in "$@"; do
  arm=${spec%%:*}; cc=${spec##*:}
  out=/tmp/s13/w-$arm-$cc-$i; rm -rf $out
  echo "$(date +%T) $arm $cc -> $out"
  if [ $arm = base ]; then d=""; else d=$arm; fi
  MPL_DIAG_WARM=$d ./lab run $SCEN --repeat 2 --transport udp --cc $cc --out $out > $out.log 2>&1
  grep -E "=> (out|in)bound" $out.log
  i=$((i+1))
done
echo "$(date +%T) done"
