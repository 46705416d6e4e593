#!/bin/bash
# node2's MAC address, written into /root/node2-mac on node1, must be the one node1 sees on the network.
f=/root/node2-mac
[ -s "$f" ] || fail "node1에 /root/node2-mac 파일이 없습니다(또는 비어 있습니다). node2에서 ip link로 eth0의 MAC 주소를 찾아 node1의 이 파일에 적으세요." \
  "There is no /root/node2-mac on node1 (or it is empty). Find the MAC address of node2's eth0 with ip link on node2 and write it into this file on node1."
mac=$(tr -d ' \t\r\n' <"$f" | tr 'A-F' 'a-f')
[[ $mac =~ ^([0-9a-f]{2}:){5}[0-9a-f]{2}$ ]] || fail "/root/node2-mac의 내용이 MAC 주소 모양(예: 02:42:ac:13:00:03)이 아닙니다(지금 내용: '$mac'). 주소 하나만 적으세요." \
  "'$mac' in /root/node2-mac does not look like a MAC address (e.g. 02:42:ac:13:00:03). Write just the address."
if cat /sys/class/net/*/address 2>/dev/null | grep -qx "$mac"; then
  fail "적은 주소($mac)는 node1 자신의 MAC 주소입니다. node2 터미널에서 확인한 node2의 주소를 적으세요." \
    "$mac is node1's own MAC address. Write node2's, as shown in node2's terminal."
fi
ip2=$(getent hosts node2 | awk '{print $1; exit}')
[ -n "$ip2" ] || fail "node1에서 node2라는 이름을 찾지 못했습니다." "node1 cannot resolve the name node2."
ping -c 1 -W 2 "$ip2" >/dev/null 2>&1
seen=$(ip neigh show "$ip2" | awk '{for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i+1)}' | head -n 1)
[ -n "$seen" ] || fail "node1이 네트워크에서 node2의 MAC 주소를 알아내지 못했습니다. 잠시 뒤 다시 확인해 보세요." \
  "node1 could not learn node2's MAC address on the network. Try the check again in a moment."
[ "$mac" = "$seen" ] || fail "적은 주소($mac)는 node2의 MAC 주소가 아닙니다. node1이 네트워크에서 본 node2의 주소와 다릅니다. node2에서 ip link의 eth0 항목을 다시 보세요." \
  "$mac is not node2's MAC address: node1 sees a different one for node2 on the network. Look at eth0 in ip link on node2 again."
echo "node2 MAC $mac"
