#!/bin/bash
# Namespace dev is gone, prod/web still runs, and the current context's namespace is default again.
if k get namespace dev >/dev/null 2>&1; then
  phase=$(k get namespace dev -o jsonpath='{.status.phase}')
  [ "$phase" = Terminating ] && fail "dev 네임스페이스가 아직 지워지는 중입니다(Terminating). 잠시 기다리세요." \
    "Namespace dev is still being deleted (Terminating). Wait a moment."
  fail "dev 네임스페이스가 아직 있습니다. kubectl delete namespace dev로 지우세요." "Namespace dev still exists. Delete it with kubectl delete namespace dev."
fi
k get pod web -n prod >/dev/null 2>&1 || fail "prod의 파드 web이 없습니다. prod는 지우지 말아야 합니다. kubectl run web --image=nginx -n prod로 다시 만드세요." \
  "Pod web in prod is gone; prod was to stay. Create it again with kubectl run web --image=nginx -n prod."
ready=$(k get pod web -n prod -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
[ "$ready" = True ] || fail "prod의 파드 web이 실행 중이 아닙니다." "Pod web in prod is not running."
cfg=/etc/kubernetes/admin.conf
[ -f /root/.kube/config ] && cfg=/root/.kube/config
ns=$(kubectl --kubeconfig "$cfg" config view --minify -o jsonpath='{..namespace}' 2>/dev/null)
[ -z "$ns" ] || [ "$ns" = default ] || fail "현재 컨텍스트의 기본 네임스페이스가 아직 $ns입니다. kubectl config set-context --current --namespace=default로 되돌리세요." \
  "The current context's default namespace is still $ns. Set it back with kubectl config set-context --current --namespace=default."
echo "dev deleted, prod/web running, namespace default"
