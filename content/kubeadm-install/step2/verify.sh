#!/bin/bash
# /root/prereq.txt on node1 records swap, the iptables backend and the CRI socket; each value must match the node.
f=/root/prereq.txt
[ -s "$f" ] || fail "node1에 /root/prereq.txt가 없습니다. swap=, iptables=, cri= 세 줄로 점검 결과를 적으세요." \
  "There is no /root/prereq.txt on node1. Write what you found as three lines: swap=, iptables=, cri=."
val() { grep -E "^[[:space:]]*$1[[:space:]]*=" "$f" | tail -n 1 | cut -d= -f2- | tr -d ' \t\r"'"'"; }

swap=$(val swap | tr 'A-Z' 'a-z')
[ -n "$swap" ] || fail "/root/prereq.txt에 swap= 줄이 없습니다." "/root/prereq.txt has no swap= line."
if [ "$(grep -vc '^Filename' /proc/swaps)" != 0 ]; then
  fail "이 노드에서 스왑이 아직 켜져 있습니다. swapoff -a로 끄세요." "Swap is still on on this node. Turn it off with swapoff -a."
fi
[ "$swap" = off ] || fail "swap 줄의 값이 실제와 다릅니다. 이 노드의 스왑은 꺼져 있습니다(swapon --show가 비어 있음). swap=off로 적으세요." \
  "You wrote swap=$swap, but swap is off on this node (swapon --show prints nothing). Write swap=off."

ipt=$(val iptables)
[ -n "$ipt" ] || fail "/root/prereq.txt에 iptables= 줄이 없습니다." "/root/prereq.txt has no iptables= line."
mode=$(iptables -V 2>/dev/null | sed -n 's/.*(\(.*\)).*/\1/p')
[ "$ipt" = "$mode" ] || fail "iptables 줄의 값('$ipt')이 이 노드의 iptables 백엔드와 다릅니다. iptables -V 출력의 괄호 안을 보세요." \
  "You wrote iptables=$ipt, but that is not this node's iptables backend. Look at the parentheses in the output of iptables -V."

cri=$(val cri)
[ -n "$cri" ] || fail "/root/prereq.txt에 cri= 줄이 없습니다." "/root/prereq.txt has no cri= line."
sock=${cri#unix://}
[ -S "$sock" ] || fail "cri 줄의 값($cri)은 이 노드에 있는 소켓이 아닙니다. 이 노드의 런타임은 containerd입니다." \
  "cri=$cri is not a socket on this node. The runtime on this node is containerd."
[ "$(readlink -f "$sock")" = /run/containerd/containerd.sock ] || fail "cri 줄의 값($cri)은 containerd의 CRI 소켓이 아닙니다." \
  "cri=$cri is not containerd's CRI socket."
crictl --runtime-endpoint "unix://$sock" version >/dev/null 2>&1 || fail "cri 줄의 소켓($cri)으로 컨테이너 런타임에 연결할 수 없습니다." \
  "The container runtime does not answer on $cri."
echo "swap=off iptables=$mode cri=$cri"
