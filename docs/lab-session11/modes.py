#!/usr/bin/env python3
# usage: modes.py TRACE [t0_ms t1_ms]  -- per link: mode changes, and every 250 ms bw/pace/cwnd/srtt/inflight/lost; reorder stats
import sys, gzip, re
f = sys.argv[1]
op = gzip.open if f.endswith('.gz') else open
t0 = int(sys.argv[2]) if len(sys.argv) > 2 else 0
t1 = int(sys.argv[3]) if len(sys.argv) > 3 else 10**12
last = {}
lastprint = {}
for line in op(f, 'rt'):
    p = line.split()
    if len(p) < 3: continue
    try: t = int(p[0])
    except: continue
    if t < t0 or t > t1: continue
    if p[1].startswith('link'):
        kv = dict(x.split('=',1) for x in p[2:] if '=' in x)
        mode = p[3] if not '=' in p[3] else '?'
        key = p[1]
        if last.get(key) != mode:
            print(f"{t:7d} {key} -> {mode} bw={kv.get('bw')} pace={kv.get('pace')} srtt={kv.get('srtt')} minRtt={kv.get('minRtt')} lost={kv.get('lost')}")
            last[key] = mode
        if t - lastprint.get(key, -10**9) >= 250:
            lastprint[key] = t
            print(f"{t:7d} {key}   {mode:8s} bw={kv.get('bw'):>10s} pace={kv.get('pace'):>10s} cwnd={kv.get('cwnd'):>7s} infl={kv.get('inflight'):>7s} q={kv.get('q'):>6s} srtt={kv.get('srtt'):>8s} lost={kv.get('lost')}")
    elif p[1] == 'drops':
        if t - lastprint.get('r', -10**9) >= 500:
            lastprint['r'] = t
            m = re.search(r'Reorder\[(.*)\]', line)
            d = re.search(r'drops (\{[^}]*\})', line)
            print(f"{t:7d} drops {d.group(1) if d else ''} {m.group(1) if m else ''}")
