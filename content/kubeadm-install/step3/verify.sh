#!/bin/bash
# kubeadm init ran on node1 with the pod network range, and ~/.kube/config reaches the API server.
[ -f /etc/kubernetes/admin.conf ] || fail "아직 kubeadm init을 실행하지 않았습니다(/etc/kubernetes/admin.conf가 없습니다). node1에서 kubeadm init을 실행하세요." \
  "kubeadm init has not run yet (there is no /etc/kubernetes/admin.conf). Run kubeadm init on node1."
k get --raw=/readyz --request-timeout=5s >/dev/null 2>&1 || fail "API 서버가 응답하지 않습니다. kubeadm init이 끝까지 성공했는지 출력을 확인하세요(실패했다면 kubeadm reset -f 후 다시)." \
  "The API server does not answer. Check that kubeadm init finished successfully (if it failed: kubeadm reset -f, then init again)."
k get node node1 >/dev/null 2>&1 || fail "node1이 노드로 등록되지 않았습니다." "node1 is not registered as a node."
subnet=$(k -n kube-system get configmap kubeadm-config -o jsonpath='{.data.ClusterConfiguration}' 2>/dev/null | awk '/podSubnet:/ {print $2}')
[ "$subnet" = 10.244.0.0/16 ] || fail "클러스터의 파드 대역(podSubnet)이 '${subnet:-없음}'입니다. kubeadm reset -f 후 --pod-network-cidr=10.244.0.0/16을 넣어 다시 init 하세요." \
  "The cluster's pod range (podSubnet) is '${subnet:-none}'. Run kubeadm reset -f, then init again with --pod-network-cidr=10.244.0.0/16."
[ -f /root/.kube/config ] || fail "~/.kube/config가 없습니다. /etc/kubernetes/admin.conf를 ~/.kube/config로 복사하세요." \
  "There is no ~/.kube/config. Copy /etc/kubernetes/admin.conf to ~/.kube/config."
KUBECONFIG=/root/.kube/config kubectl get --raw=/readyz --request-timeout=5s >/dev/null 2>&1 || fail "~/.kube/config로는 API 서버에 접속할 수 없습니다. init을 다시 했다면 admin.conf를 다시 복사하세요." \
  "kubectl cannot reach the API server with ~/.kube/config. If you ran init again, copy admin.conf again."
echo "control plane on node1, pod range $subnet"
