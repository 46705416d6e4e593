package i18n

// catalog: Korean written for Korean learners, English for everyone else. Terms follow the Kubernetes
// Korean localization glossary (파드, 노드, 컨트롤 플레인, 클러스터).
var catalog = map[Lang]map[string]string{
	Ko: {
		"error.capacity.client":  "이미 실습 세션을 최대 개수만큼 사용하고 있습니다. %s 이후에 다시 시도하거나, 쓰지 않는 세션을 먼저 끝내 주세요.",
		"error.capacity.server":  "지금은 서버에 빈자리가 없습니다. %s 이후에 다시 시도해 주세요.",
		"error.session.notfound": "세션을 찾을 수 없습니다. 시간이 다 되어 끝났거나, 다른 브라우저에서 만든 세션입니다.",
		"error.session.extend":   "세션을 더 연장할 수 없습니다. 최대 사용 시간에 도달했습니다.",
		"error.engine.down":      "서버가 컨테이너 엔진(Docker)에 연결하지 못했습니다. 강사에게 알려 주세요.",
		"error.internal":         "서버에서 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.",
		"error.badrequest":       "요청을 이해하지 못했습니다: %s",
		"terminal.node.down":     "노드 %s가 멈춰 있습니다. 노드가 다시 살아나면 터미널이 자동으로 연결됩니다.",
		"terminal.shell.exited":  "셸이 종료되어 새 셸을 시작합니다.",
		"terminal.readonly":      "읽기 전용 터미널입니다. 여기서는 입력할 수 없습니다.",
		"terminal.slow":          "연결이 느려서 끊겼습니다. 다시 연결하는 중입니다…",
		"session.creating":       "클러스터를 만드는 중입니다: %s",
		"session.ready":          "클러스터가 준비되었습니다.",
		"session.failed":         "클러스터를 만들지 못했습니다. 다시 시도해 주세요.",
		"images.building":        "Kubernetes 노드 이미지를 이 컴퓨터에서 만드는 중입니다 (처음에는 30분 정도 걸립니다).",
		"images.ready":           "노드 이미지가 준비되었습니다.",
		"images.failed":          "이미지를 만들지 못했습니다.",
	},
	En: {
		"error.capacity.client":  "You already have as many lab sessions as allowed. Try again after %s, or end a session you no longer use.",
		"error.capacity.server":  "The server has no room right now. Please try again after %s.",
		"error.session.notfound": "Session not found: it has expired, or it was started in another browser.",
		"error.session.extend":   "The session cannot be extended further: it has reached its longest time.",
		"error.engine.down":      "The server cannot reach its container engine (Docker). Please tell your instructor.",
		"error.internal":         "Something went wrong on the server. Please try again in a moment.",
		"error.badrequest":       "The request was not understood: %s",
		"terminal.node.down":     "Node %s has stopped. The terminal reconnects by itself when the node is back.",
		"terminal.shell.exited":  "The shell exited; starting a new one.",
		"terminal.readonly":      "This terminal is read-only: you cannot type here.",
		"terminal.slow":          "The connection was too slow and was dropped. Reconnecting…",
		"session.creating":       "Creating your cluster: %s",
		"session.ready":          "Your cluster is ready.",
		"session.failed":         "Your cluster could not be created. Please try again.",
		"images.building":        "Building the Kubernetes node image on this machine (about 30 minutes the first time).",
		"images.ready":           "The node image is ready.",
		"images.failed":          "The images could not be built.",
	},
}
