#!/bin/bash
# Step 1: Deployment hello (kubeplay/hello) with an httpGet /ready readiness probe, an httpGet /healthz liveness probe and a CPU request; 2 ready pods; Service hello:8080 with endpoints.
dep=$(k get deployment hello -o json 2>/dev/null) ||
  fail "디플로이먼트 hello가 없습니다. 단계의 매니페스트로 만드세요." "There is no Deployment hello. Create it with the step's manifest."
c=$(jq '[.spec.template.spec.containers[] | select(.image | test("(^|/)kubeplay/hello(:|$)"))][0] // empty' <<<"$dep")
[ -n "$c" ] ||
  fail "디플로이먼트 hello에 kubeplay/hello 이미지 컨테이너가 없습니다." "Deployment hello has no container from the kubeplay/hello image."
[ "$(jq -r '.readinessProbe.httpGet.path // empty' <<<"$c")" = /ready ] ||
  fail "hello 컨테이너에 경로 /ready 의 httpGet 레디니스 프로브가 없습니다." "The hello container has no httpGet readiness probe on /ready."
[ "$(jq -r '.livenessProbe.httpGet.path // empty' <<<"$c")" = /healthz ] ||
  fail "hello 컨테이너에 경로 /healthz 의 httpGet 라이브니스 프로브가 없습니다." "The hello container has no httpGet liveness probe on /healthz."
[ -n "$(jq -r '.resources.requests.cpu // empty' <<<"$c")" ] ||
  fail "hello 컨테이너에 CPU 요청량(resources.requests.cpu)이 없습니다. HPA는 이것이 있어야 사용률을 계산합니다." \
       "The hello container has no CPU request (resources.requests.cpu); an HPA needs it to compute utilization."
ready=$(jq -r '.status.readyReplicas // 0' <<<"$dep")
[ "$ready" -ge 2 ] ||
  fail "hello의 준비된 파드가 ${ready}개입니다. 2개가 준비될 때까지 기다리세요 (kubectl get pods -l app=hello)." \
       "hello has $ready ready pod(s). Wait until 2 are ready (kubectl get pods -l app=hello)."
svc=$(k get service hello -o json 2>/dev/null) ||
  fail "서비스 hello가 없습니다. 단계의 매니페스트로 만드세요." "There is no Service hello. Create it with the step's manifest."
jq -e '.spec.ports[] | select(.port == 8080)' <<<"$svc" >/dev/null ||
  fail "서비스 hello에 8080 포트가 없습니다. 단계의 매니페스트를 다시 적용하세요." "Service hello has no port 8080. Apply the step's manifest again."
n=$(k get endpointslices -l kubernetes.io/service-name=hello -o json | jq '[.items[].endpoints[]? | select(.conditions.ready == true)] | length')
[ "$n" -ge 2 ] ||
  fail "서비스 hello가 가리키는 준비된 파드가 ${n}개입니다. 셀렉터가 app: hello인지 보세요." \
       "Service hello points at $n ready pod(s). Check that its selector is app: hello."
exit 0
