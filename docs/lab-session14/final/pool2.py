import json,sys,collections,statistics as st
runs=collections.defaultdict(list); extra=collections.defaultdict(list); sums={}
for d in sys.argv[1:]:
    r=json.load(open(d.rstrip('/')+'/results.json'))
    for sc in r['scenarios']:
        if sc.get('transport','udp')!='udp': continue
        tot=sum(l['rateMbit'] for l in sc['links'])
        for dr in sc['directions']:
            k=(sc['name'],dr['direction']); sums[k]=tot
            for x in dr['tunnel']['runs']:
                if x.get('error') is None:
                    runs[k].append(x['goodputMbit']); extra[k].append((x.get('retransmits'),x.get('meanRttMs')))
for k in runs:
    g=runs[k]; e=extra[k]
    rt=[a for a,b in e if a is not None]; rr=[b for a,b in e if b is not None]
    print(f"{k[0]:22s} {k[1]:8s} med {st.median(g)/sums[k]:.3f} n{len(g)} runs {' '.join('%.3f'%(x/sums[k]) for x in g)} retr {min(rt)}-{max(rt)} rtt {min(rr):.1f}-{max(rr):.1f}")
