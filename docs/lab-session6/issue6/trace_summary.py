import re,sys
# usage: tr.py trace [t0 t1 step]
f=sys.argv[1]; t0=int(sys.argv[2]) if len(sys.argv)>2 else 0; t1=int(sys.argv[3]) if len(sys.argv)>3 else 10**9
step=int(sys.argv[4]) if len(sys.argv)>4 else 100
rows={}; last=-10**9
cur=None
for line in open(f):
    p=line.split(' ',2)
    t=int(p[0])
    if t<t0 or t>t1: continue
    if p[1]=='drops':
        if t-last>=step:
            m=re.search(r'held=(\d+).*releasedByTimeout=(\d+).*lateArrivals=(\d+).*holdBoundNanos=(\d+)',p[2])
            d=re.search(r'drops (\{.*?\})',line)
            print(t, ' | '.join(rows.get(t,[])), '| held=%s to=%s late=%s hb=%dms'%(m.group(1),m.group(2),m.group(3),int(m.group(4))//10**6), d.group(1) if d else '')
            last=t
        continue
    s=p[2]
    g=lambda k:(re.search(k+r'=([\w.]+)',s) or [0,'?'])[1]
    mode=s.split()[1]
    rows.setdefault(t,[]).append('%s q=%s %s bw=%s in=%s r=%s srtt=%s L=%s pace=%s'%(p[1][-1],g('q'),mode[:4],int(g('bw').replace('kbit',''))//1000,int(g('inflight'))//1000,int(g('rate').replace('kbit',''))//1000,int(g('srtt').replace('us',''))//1000,g('lost'),int(g('pace').replace('kbit',''))//1000))
