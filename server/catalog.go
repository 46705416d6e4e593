package server

import (
	"fmt"

	"github.com/kubeplay/kubeplay/i18n"
	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/sessions"
)

// Lab is what the lab picker shows, in one language.
type Lab struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Duration    string         `json:"duration"`
	Level       string         `json:"level"`
	Cluster     ClusterView    `json:"cluster"`
	Shape       sessions.Shape `json:"-"`
}

// ClusterView is a lab's cluster shape on the wire.
type ClusterView struct {
	Mode    string `json:"mode"`
	Workers int    `json:"workers"`
}

// Catalog lists the labs a student can start. The lessons package provides the real one; the
// playground catalog below (free clusters, no lesson) is always there.
type Catalog interface {
	Labs(lang i18n.Lang) []Lab
	Lab(lang i18n.Lang, id string) (Lab, bool)
}

// Playgrounds is the catalog of bare playgrounds: a cluster and terminals, no lesson.
type Playgrounds struct{}

type playground struct {
	id      string
	shape   sessions.Shape
	title   map[i18n.Lang]string
	desc    map[i18n.Lang]string
	minutes int
}

var playgrounds = []playground{
	{id: "playground-kind-1", shape: sessions.Shape{Mode: "kind", Workers: 1}, minutes: 60,
		title: map[i18n.Lang]string{i18n.Ko: "자유 실습: 클러스터 (워커 1대)", i18n.En: "Free playground: a cluster (1 worker)"},
		desc: map[i18n.Lang]string{
			i18n.Ko: "컨트롤 플레인 1대와 워커 노드 1대로 이루어진 준비된 클러스터입니다. kubectl로 무엇이든 해 보세요.",
			i18n.En: "A ready cluster of one control plane and one worker node. Try anything with kubectl."}},
	{id: "playground-kind-2", shape: sessions.Shape{Mode: "kind", Workers: 2}, minutes: 60,
		title: map[i18n.Lang]string{i18n.Ko: "자유 실습: 클러스터 (워커 2대)", i18n.En: "Free playground: a cluster (2 workers)"},
		desc: map[i18n.Lang]string{
			i18n.Ko: "워커 노드가 2대인 클러스터입니다. 파드가 노드에 어떻게 나뉘어 배치되는지 볼 수 있습니다.",
			i18n.En: "A cluster with two worker nodes, to watch how pods are spread over nodes."}},
	{id: "playground-kubeadm", shape: sessions.Shape{Mode: "kubeadm", Workers: 1}, minutes: 60,
		title: map[i18n.Lang]string{i18n.Ko: "자유 실습: kubeadm 빈 노드 2대", i18n.En: "Free playground: 2 bare nodes for kubeadm"},
		desc: map[i18n.Lang]string{
			i18n.Ko: "containerd와 kubelet만 설치된 빈 노드 2대(node1, node2)입니다. kubeadm init과 join으로 클러스터를 직접 만들어 보세요.",
			i18n.En: "Two bare nodes (node1, node2) with containerd and the kubelet installed. Build the cluster yourself with kubeadm init and join."}},
}

func (p playground) lab(lang i18n.Lang) Lab {
	dur := map[i18n.Lang]string{i18n.Ko: "%d분", i18n.En: "%d min"}[lang]
	level := map[i18n.Lang]string{i18n.Ko: "자유 실습", i18n.En: "free play"}[lang]
	return Lab{ID: p.id, Title: p.title[lang], Description: p.desc[lang], Duration: fmt.Sprintf(dur, p.minutes), Level: level,
		Cluster: ClusterView{Mode: string(p.shape.Mode), Workers: p.shape.Workers}, Shape: p.shape}
}

// Labs lists the playgrounds.
func (Playgrounds) Labs(lang i18n.Lang) []Lab {
	out := make([]Lab, 0, len(playgrounds))
	for _, p := range playgrounds {
		out = append(out, p.lab(lang))
	}
	return out
}

// Lab finds one playground.
func (Playgrounds) Lab(lang i18n.Lang, id string) (Lab, bool) {
	for _, p := range playgrounds {
		if p.id == id {
			return p.lab(lang), true
		}
	}
	return Lab{}, false
}

// LabCatalog lists the lessons of a labs.Catalog first, then the free playgrounds.
type LabCatalog struct{ Set *labs.Catalog }

func labView(lang i18n.Lang, l *labs.Lab) Lab {
	v := Lab{ID: l.ID, Title: l.Title.In(string(lang)), Description: l.Description.In(string(lang)),
		Cluster: ClusterView{Mode: l.Cluster.Mode, Workers: l.Cluster.ExtraNodes()},
		Shape:   sessions.Shape{Mode: provisioner.Mode(l.Cluster.Mode), Workers: l.Cluster.ExtraNodes()}}
	if l.Duration > 0 {
		v.Duration = i18n.T(lang, "lab.duration", l.Duration)
	}
	if l.Level != "" {
		v.Level = i18n.T(lang, "lab.level."+l.Level)
	}
	return v
}

// Labs lists the labs written in lang, then the playgrounds.
func (c LabCatalog) Labs(lang i18n.Lang) []Lab {
	var out []Lab
	if c.Set != nil {
		for _, l := range c.Set.Labs() {
			if l.Speaks(string(lang)) {
				out = append(out, labView(lang, l))
			}
		}
	}
	return append(out, Playgrounds{}.Labs(lang)...)
}

// Lab finds a lab or a playground.
func (c LabCatalog) Lab(lang i18n.Lang, id string) (Lab, bool) {
	if c.Set != nil {
		if l, ok := c.Set.Lab(id); ok {
			return labView(lang, l), true
		}
	}
	return Playgrounds{}.Lab(lang, id)
}
