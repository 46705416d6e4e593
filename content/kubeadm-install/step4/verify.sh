#!/bin/bash
# The pod network runs and node1 is Ready.
[ -f /etc/kubernetes/admin.conf ] || fail "아직 kubeadm init을 실행하지 않았습니다(/etc/kubernetes/admin.conf가 없습니다)." \
  "kubeadm init has not run yet (there is no /etc/kubernetes/admin.conf)."
k get --raw=/readyz --request-timeout=5s >/dev/null 2>&1 || fail "API 서버가 응답하지 않습니다." "The API server does not answer."
k -n kube-system get daemonset kubeplay-net >/dev/null 2>&1 || fail "파드 네트워크가 설치되지 않았습니다. node1에서 kubectl apply -f /opt/kubeplay/cni.yaml을 실행하세요." \
  "The pod network is not installed. Run kubectl apply -f /opt/kubeplay/cni.yaml on node1."
ready=$(k get node node1 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
[ "$ready" = True ] || fail "node1이 아직 Ready가 아닙니다. 네트워크 파드가 뜨기를 잠시 기다리세요(kubectl get pods -n kube-system)." \
  "node1 is not Ready yet. Wait a moment for the network pod to start (kubectl get pods -n kube-system)."
echo "node1 Ready"
