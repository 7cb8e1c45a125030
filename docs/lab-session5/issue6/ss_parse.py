# Parses the output of sssample.sh (ss -tin of the client (C) and server (S) namespaces every ~0.2 s) into one line
# per sample of the iperf3 data connection: cwnd, ssthresh, RTT, min RTT, bytes sent, retransmitted bytes.
import re, sys
t0 = None
for line in open(sys.argv[1]):
    parts = line.split(' ', 2)
    if len(parts) < 3:
        continue
    t = float(parts[0]); side = parts[1]
    for m in re.finditer(r'cubic.*?(?=\s\d+\s+\d+\s+10\.64|$)', parts[2]):
        s = m.group(0)
        g = lambda k: (re.search(k + r':([\d./]+)', s) or [None, '-'])[1]
        bs = g('bytes_sent')
        if bs == '-' or int(bs) < 50000:
            continue
        if t0 is None:
            t0 = t
        print('%.2f %s cwnd=%s ssthresh=%s rtt=%s minrtt=%s sent=%s retrans_bytes=%s' % (
            t - t0, side, g('cwnd'), g('ssthresh'), g('rtt'), g('minrtt'), bs, g('retrans')))
