#!/bin/bash
# Step 4: metrics-server runs in kube-system, its APIService is Available, and the Metrics API serves both nodes.
# (The Metrics API is read with get --raw: it does not depend on kubectl's discovery cache.)
dep=$(k -n kube-system get deployment metrics-server -o json 2>/dev/null) ||
  fail "kube-system에 메트릭 서버가 없습니다. kubectl apply -f /etc/kubeplay/metrics-server.yaml 로 설치하세요." \
       "There is no metrics-server in kube-system. Install it with: kubectl apply -f /etc/kubeplay/metrics-server.yaml"
[ "$(jq -r '.status.availableReplicas // 0' <<<"$dep")" -ge 1 ] ||
  fail "메트릭 서버 파드가 아직 준비되지 않았습니다. 잠시 기다리세요 (kubectl -n kube-system get pods -l k8s-app=metrics-server)." \
       "The metrics-server pod is not ready yet. Wait a moment (kubectl -n kube-system get pods -l k8s-app=metrics-server)."
av=$(k get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type=="Available")].status}' 2>/dev/null)
[ "$av" = True ] ||
  fail "APIService v1beta1.metrics.k8s.io가 아직 Available이 아닙니다 (${av:-없음}). 잠시 기다리세요. 계속 False라면 kubectl describe apiservice v1beta1.metrics.k8s.io 로 이유를 보세요." \
       "The APIService v1beta1.metrics.k8s.io is not Available yet (${av:-missing}). Wait a moment; if it stays False, kubectl describe apiservice v1beta1.metrics.k8s.io shows why."
raw=$(timeout 8 kubectl get --raw /apis/metrics.k8s.io/v1beta1/nodes 2>&1)
n=$(jq '[.items[]? | select(.usage.cpu != null)] | length' <<<"$raw" 2>/dev/null)
[ "${n:-0}" -ge 2 ] ||
  fail "Metrics API가 아직 두 노드의 측정값을 내놓지 않습니다 (지금 ${n:-0}개). 첫 측정까지 30~60초 걸립니다." \
       "The Metrics API does not serve figures for both nodes yet (it has ${n:-0}). The first measurement takes 30 to 60 seconds."
exit 0
