import re,sys
rows=[]
for line in open(sys.argv[1]):
    p=line.split(' ',2)
    if len(p)<3: continue
    t=float(p[0]); side=p[1]; s=p[2]
    best=None
    for seg in re.split(r'(?=\d+\s+\d+\s+\S+:\d+\s+\S+:\d+\s)', s):
        m=re.search(r'bytes_sent:(\d+)',seg)
        if m and int(m.group(1))>1e6:
            if best is None or int(m.group(1))>best[0]: best=(int(m.group(1)),seg)
    if best: rows.append((t,side,best[1]))
t0=rows[0][0]
last={}
step=float(sys.argv[2]) if len(sys.argv)>2 else 0.25
for t,side,seg in rows:
    bw=re.search(r'bbr:\(bw:(\d+)bps,mrtt:([\d.]+),pacing_gain:([\d.]+)',seg)
    if t-last.get(side,-1)<step: continue
    last[side]=t
    rtt=re.search(r' rtt:([\d.]+)',seg).group(1)
    cw=re.search(r'cwnd:(\d+)',seg).group(1)
    dr=re.search(r'delivery_rate (\d+)',seg); pr=re.search(r'pacing_rate (\d+)',seg)
    un=re.search(r'unacked:(\d+)',seg); rt=re.search(r'retrans:\d+/(\d+)',seg)
    al='AL' if 'app_limited' in seg else ''
    b=f"bw={int(bw.group(1))/1e6:6.1f} mrtt={bw.group(2)} g={float(bw.group(3)):.2f}" if bw else "cubic"
    print(f"{t-t0:7.2f} {side} {b} pace={int(pr.group(1))/1e6 if pr else 0:6.1f} dr={int(dr.group(1))/1e6 if dr else 0:6.1f} rtt={rtt} cwnd={cw} unacked={un.group(1) if un else '-'} rtx={rt.group(1) if rt else 0} {al}")
