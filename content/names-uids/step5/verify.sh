#!/bin/bash
# Step 5: at least two running pods were named by generateName "worker-".
pods=$(k get pods -o go-template='{{range .items}}{{if eq (or .metadata.generateName "") "worker-"}}{{.metadata.name}} {{.status.phase}}{{"\n"}}{{end}}{{end}}')
n=$(grep -c . <<<"$pods")
[ "$n" -ge 2 ] ||
  fail "generateName: worker- 로 만든 파드가 두 개 이상 있어야 합니다 (지금 $n 개). metadata.name 대신 generateName을 쓰고 kubectl create -f 로 만드세요." \
       "Two or more pods made with generateName: worker- are needed (there are $n). Use generateName instead of metadata.name and create them with kubectl create -f."
running=$(grep -c ' Running$' <<<"$pods")
[ "$running" -ge 2 ] ||
  fail "generateName으로 만든 파드 가운데 실행 중인 것이 두 개가 안 됩니다:$(tr '\n' ',' <<<"$pods" | sed 's/,$//; s/^/ /')" \
       "Fewer than two of the pods made with generateName are running:$(tr '\n' ',' <<<"$pods" | sed 's/,$//; s/^/ /')"
echo "pods named by generateName: $(cut -d' ' -f1 <<<"$pods" | tr '\n' ' ')"
