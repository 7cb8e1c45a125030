#!/bin/bash
# usage: traced.sh JAR OUTDIR scenario... ; runs lab with trace and ss sampling
JAR=$1; OUT=$2; shift 2
mkdir -p $OUT/trace
before=$(ip netns list | awk '{print $1}' | grep -- '-c$' | sort)
cd /work/hA
MPL_PORTAL_JAR=$JAR MPL_KEEP_LOGS=1 MP_TRACE_DIR=$OUT/trace ./lab run "$@" --transport udp --out $OUT/lab > $OUT/lab.log 2>&1 &
LPID=$!
# find new -c namespace
P=""
for i in $(seq 1 300); do
  now=$(ip netns list | awk '{print $1}' | grep -- '-c$' | sort)
  new=$(comm -13 <(echo "$before") <(echo "$now") | head -1)
  if [ -n "$new" ]; then P=${new%-c}; break; fi
  sleep 0.2
done
echo "prefix $P" > $OUT/prefix
if [ -n "$P" ]; then bash /work/hA/docs/lab-session5/issue6/sssample.sh $P $OUT/ss.raw & SPID=$!; fi
wait $LPID
echo "lab rc $?" >> $OUT/prefix
