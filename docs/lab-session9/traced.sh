#!/bin/bash
# usage: traced.sh OUTDIR lab-args...   runs the lab with portal traces and inner-TCP ss samples
OUT=$1; shift
mkdir -p $OUT/trace
cd /work/main
before=$(ip netns list | awk '{print $1}' | sort)
MP_TRACE_DIR=$OUT/trace MPL_PORTAL_JAR=${JAR:-/tmp/s9/portal-main.jar} ./lab run "$@" --out $OUT/lab > $OUT/lab.log 2>&1 &
LAB=$!
# find the lab's client namespace
P=""
for i in $(seq 1 600); do
  P=$(ip netns list | awk '{print $1}' | grep -- '-c$' | sed 's/-c$//' | head -1)
  [ -n "$P" ] && break
  sleep 0.5
done
echo "prefix $P" > $OUT/ss.raw.info
[ -n "$P" ] && "$(dirname "$0")"/../lab-session5/issue6/sssample.sh $P $OUT/ss.raw
wait $LAB
echo "lab rc=$?"
