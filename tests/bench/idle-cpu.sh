#!/bin/bash
# idle-cpu.sh NODE [SECONDS]: CPU used by each process of a node container over SECONDS (default 30),
# from /proc/PID/stat utime+stime, as a share of one core; the figures for idle control planes and
# workers (tuned and untuned) in the notes come from this. Example:
#   go run ./cmd/kubeplay cluster create idle && sleep 120 && bash tests/bench/idle-cpu.sh kp-idle-control-plane 30
set -euo pipefail
n=$1; s=${2:-30}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
snap() { docker exec $n sh -c 'for p in $(ps -eo pid --no-headers); do [ -r /proc/$p/stat ] && echo "$p $(cut -d" " -f14,15 /proc/$p/stat) $(tr "\0" " " < /proc/$p/cmdline 2>/dev/null | cut -c1-30)"; done'; }
snap > $tmp/c1; t1=$(date +%s.%N); sleep $s; snap > $tmp/c2; t2=$(date +%s.%N)
python3 - "$t1" "$t2" "$tmp" <<'PY'
import sys
t=float(sys.argv[2])-float(sys.argv[1])
d=sys.argv[3]
a={}
for l in open(d+'/c1'):
    f=l.split()
    if len(f)>=3: a[f[0]]=f
tot=0; rows=[]
for l in open(d+'/c2'):
    f=l.split()
    if len(f)>=3 and f[0] in a:
        x=(int(f[1])+int(f[2])-int(a[f[0]][1])-int(a[f[0]][2]))/100/t*100
        tot+=x
        if x>=0.2: rows.append((x,' '.join(f[3:])))
for x,c in sorted(rows,reverse=True): print(f"{x:5.1f}% {c}")
print(f"total {tot:.1f}% of a core over {t:.0f}s")
PY
