#!/bin/bash
# Step 4: ConfigMap cp-ports holds the control plane's ports, compared with what really listens here.
data=$(k get configmap cp-ports -o go-template='{{range $k, $v := .data}}{{$k}}={{$v}}{{"\n"}}{{end}}' 2>/dev/null) ||
  fail "컨피그맵 cp-ports가 없습니다." "There is no ConfigMap named cp-ports."

listen=$(ss -ltnpH 2>/dev/null)
# ports that process $1 listens on; with "public", only those not bound to loopback
ports_of() {
  awk -v p="((\"$1\"," -v pub="$2" 'index($0, p) {
    addr = $4; n = split(addr, a, ":"); port = a[n]
    if (pub == "public" && addr ~ /^(127\.|\[::1\])/) next
    print port }' <<<"$listen" | sort -un | tr '\n' ' '
}
url_ports() { # ports of the URLs of etcd flag $1
  grep -o -- "--$1=[^ ]*" /etc/kubernetes/manifests/etcd.yaml 2>/dev/null | tr ',' '\n' | grep -o ':[0-9]*$' | tr -d ':' | sort -un | tr '\n' ' '
}
declare -A want=(
  [apiserver]="$(ports_of kube-apiserver)"
  [scheduler]="$(ports_of kube-scheduler)"
  [controller-manager]="$(ports_of kube-controller)"
  [kubelet]="$(ports_of kubelet public)"
  [etcd-client]="$(url_ports listen-client-urls)"
  [etcd-peer]="$(url_ports listen-peer-urls)"
)
declare -A fallback=([apiserver]=6443 [scheduler]=10259 [controller-manager]=10257 [kubelet]=10250 [etcd-client]=2379 [etcd-peer]=2380)
declare -A where=([apiserver]="ss -ltnp | grep kube-apiserver" [scheduler]="ss -ltnp | grep kube-scheduler"
  [controller-manager]="ss -ltnp | grep kube-controller" [kubelet]="ss -ltnp | grep kubelet"
  [etcd-client]="grep listen-client-urls /etc/kubernetes/manifests/etcd.yaml"
  [etcd-peer]="grep listen-peer-urls /etc/kubernetes/manifests/etcd.yaml")

for key in apiserver etcd-client etcd-peer scheduler controller-manager kubelet; do
  got=$(grep -m1 "^$key=" <<<"$data" | cut -d= -f2- | tr -d '[:space:]')
  [ -n "$got" ] ||
    fail "cp-ports에 $key 키가 없습니다." "cp-ports has no key $key."
  expect=${want[$key]:-${fallback[$key]}}
  [[ " $expect " == *" $got "* ]] ||
    fail "cp-ports의 $key 값($got)이 맞지 않습니다. 확인해 보세요: ${where[$key]}" \
         "cp-ports says $key=$got, which is not right. Look again: ${where[$key]}"
done
exit 0
