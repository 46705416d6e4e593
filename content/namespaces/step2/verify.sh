#!/bin/bash
# The current context of the student's kubeconfig has namespace dev.
# The terminal uses ~/.kube/config when it exists, /etc/kubernetes/admin.conf otherwise (see /root/.bashrc).
cfg=/etc/kubernetes/admin.conf
[ -f /root/.kube/config ] && cfg=/root/.kube/config
ns=$(kubectl --kubeconfig "$cfg" config view --minify -o jsonpath='{..namespace}' 2>/dev/null)
[ "$ns" = dev ] || fail "현재 컨텍스트의 기본 네임스페이스가 dev가 아닙니다(지금: ${ns:-default}). kubectl config set-context --current --namespace=dev를 실행하세요." \
  "The current context's default namespace is not dev (it is ${ns:-default}). Run kubectl config set-context --current --namespace=dev."
echo "current namespace: $ns"
