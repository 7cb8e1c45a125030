#!/usr/bin/env python3
# usage: pool.py DIR... : pooled median ratio per scenario/direction over all runs in the dirs' results.json, plus run 0 (cold) figures
import json, sys, statistics as st, collections
runs = collections.defaultdict(list); cold = collections.defaultdict(list); sums = {}
for d in sys.argv[1:]:
    r = json.load(open(d.rstrip('/') + '/results.json'))
    for sc in r['scenarios'] if isinstance(r, dict) else r:
        name = sc['name'] if 'name' in sc else sc['scenario']
        links = sc['links']
        tot = sum(l['rateMbit'] for l in links)
        for dr in sc['directions']:
            m = dr['tunnel']
            gs = [x['goodputMbit'] for x in m['runs'] if x.get('error') is None]
            key = (name, dr['direction'])
            runs[key] += gs; sums[key] = tot
            if gs: cold[key].append(gs[0])
for k in runs:
    g = runs[k]
    print(f"{k[0]:22s} {k[1]:8s} median {st.median(g)/sums[k]:.3f}  runs {' '.join(f'{x:.1f}' for x in g)}  cold(run0) {' '.join(f'{x:.1f}' for x in cold[k])}")
