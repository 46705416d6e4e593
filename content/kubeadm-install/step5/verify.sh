#!/bin/bash
# node2 joined the cluster and is Ready.
[ -f /etc/kubernetes/admin.conf ] || fail "아직 kubeadm init을 실행하지 않았습니다(/etc/kubernetes/admin.conf가 없습니다)." \
  "kubeadm init has not run yet (there is no /etc/kubernetes/admin.conf)."
k get --raw=/readyz --request-timeout=5s >/dev/null 2>&1 || fail "API 서버가 응답하지 않습니다." "The API server does not answer."
k get node node2 >/dev/null 2>&1 || fail "node2가 아직 클러스터에 없습니다. node1에서 kubeadm token create --print-join-command가 출력한 명령을 node2에서 실행하세요." \
  "node2 is not in the cluster yet. Run, on node2, the command kubeadm token create --print-join-command prints on node1."
ready=$(k get node node2 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
[ "$ready" = True ] || fail "node2가 합류했지만 아직 Ready가 아닙니다. node2의 네트워크 파드가 뜨기를 기다리세요(kubectl get pods -n kube-system -o wide)." \
  "node2 joined but is not Ready yet. Wait for its network pod to start (kubectl get pods -n kube-system -o wide)."
echo "node2 Ready"
