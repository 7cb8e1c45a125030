# usage: align.py TRACE_LOCAL SS_RAW [seconds]  -- first tunnel flow: path state (local portal) beside the inner TCP (client)
import re,sys
tr=sys.argv[1]; ssf=sys.argv[2]; span=float(sys.argv[3]) if len(sys.argv)>3 else 3.0
MINLO=float(sys.argv[4]) if len(sys.argv)>4 else 60
MINHI=float(sys.argv[5]) if len(sys.argv)>5 else 100
rows={}
for line in open(tr):
    p=line.split()
    if len(p)<3 or not p[1].startswith('link'): continue
    t=int(p[0]); d=dict(x.split('=',1) for x in p[2:] if '=' in x); d['mode']=p[3]
    rows.setdefault(t,{})[p[1]]=d
ts=sorted(rows)
start=None; prev=None
for t in ts:
    tx=sum(int(v['tx']) for v in rows[t].values())
    if prev is not None and tx-prev[1]>15 and start is None: start=prev[0]
    prev=(t,tx)
print('trace flow start at', start,'ms')
ss=[]
for line in open(ssf):
    parts=line.split(' ',2)
    if len(parts)<3 or parts[1]!='C' or 'bytes_sent' not in parts[2]: continue
    conns=[c for c in re.split(r'\s\d+\s+\d+\s+\S+:\d+\s+\S+:5201', ' '+parts[2]) if 'cubic' in c or 'bbr' in c]
    if not conns: continue
    x=max(conns,key=lambda c:int((re.search(r'bytes_sent:(\d+)',c) or [0,'0'])[1]))
    if 'bytes_sent' not in x: continue
    g=lambda k:(re.search(r'\b'+k+r':([\d./]+)',x) or [0,'-'])[1]
    ss.append((float(parts[0]),g('cwnd'),g('ssthresh'),g('rtt').split('/')[0],int(g('bytes_sent')),g('bytes_retrans'),float(g('minrtt')) if g('minrtt')!='-' else 0))
# tunnel flow: first sample after a gap that restarts bytes_sent; take the ss run whose minrtt > 60 (three-unequal) -- simply the first run with rtt > 50
runs=[];cur=[]
for s in ss:
    if cur and s[4]<cur[-1][4]: runs.append(cur);cur=[]
    cur.append(s)
runs.append(cur)
flow=None
for r in runs: print('run',len(r),r[len(r)//2][6], r[0][0])
for r in runs:
    if len(r)>20 and MINLO<r[len(r)//2][6]<MINHI: flow=r;break
t0=flow[0][0]
lasttx={}
ti=0
for s in flow:
    rel=s[0]-t0
    if rel>span: break
    tt=start+rel*1000
    while ti<len(ts)-1 and ts[ti+1]<=tt: ti+=1
    r=rows[ts[ti]]
    cells=[]
    for k in sorted(r):
        v=r[k]; tx=int(v['tx'])
        cells.append('%s %s q=%s pace=%s bw=%s infl=%s srtt=%.0f tx=%d lost=%s'%(k[-1],v['mode'][:5],v['q'],v['pace'].replace('kbit',''),v['bw'].replace('kbit',''),v['inflight'],int(v['srtt'].replace('us',''))/1000,tx-lasttx.get(k,tx),v['lost']))
        lasttx[k]=tx
    print('%.2f cw=%s ss=%s rtt=%s re=%s | %s'%(rel,s[1],s[2],s[3],s[5],' | '.join(cells)))
