#!/bin/bash
# Pod web (nginx) runs on node2 and answers HTTP from node1 across the pod network.
[ -f /etc/kubernetes/admin.conf ] || fail "아직 kubeadm init을 실행하지 않았습니다(/etc/kubernetes/admin.conf가 없습니다)." \
  "kubeadm init has not run yet (there is no /etc/kubernetes/admin.conf)."
k get --raw=/readyz --request-timeout=5s >/dev/null 2>&1 || fail "API 서버가 응답하지 않습니다." "The API server does not answer."
k get pod web -n default >/dev/null 2>&1 || fail "default 네임스페이스에 파드 web이 없습니다. kubectl run web --image=nginx로 만드세요." \
  "There is no pod web in the default namespace. Create it with kubectl run web --image=nginx."
image=$(k get pod web -n default -o jsonpath='{.spec.containers[0].image}')
[[ $image == nginx* || $image == docker.io/library/nginx* ]] || fail "파드 web의 이미지가 nginx가 아닙니다(지금 이미지: $image)." "Pod web runs $image, not nginx."
node=$(k get pod web -n default -o jsonpath='{.spec.nodeName}')
[ -n "$node" ] || fail "파드 web이 아직 어느 노드에도 배치되지 않았습니다(Pending). kubectl describe pod web의 Events를 보세요." \
  "Pod web is not placed on any node yet (Pending). Look at the Events of kubectl describe pod web."
[ "$node" = node2 ] || fail "파드 web이 node2가 아닌 다른 노드($node)에서 실행되고 있습니다." "Pod web runs on $node, not on node2."
ready=$(k get pod web -n default -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
[ "$ready" = True ] || fail "파드 web이 아직 준비되지 않았습니다. kubectl get pod web -o wide로 상태를 보세요." \
  "Pod web is not ready yet. Look at its state with kubectl get pod web -o wide."
ip=$(k get pod web -n default -o jsonpath='{.status.podIP}')
curl -s -m 5 "http://$ip/" | grep -qi nginx || fail "node1에서 파드 web($ip)의 80번 포트로 HTTP 응답을 받지 못했습니다. 파드 네트워크가 노드 사이를 잇고 있는지 ip route로 확인하세요." \
  "node1 got no HTTP answer from pod web ($ip) on port 80. Check with ip route that the pod network connects the nodes."
echo "web on node2 answers at $ip"
