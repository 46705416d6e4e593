package fake_test

import (
	"testing"

	"github.com/kubeplay/kubeplay/provisioner/fake"
	"github.com/kubeplay/kubeplay/provisioner/provtest"
)

func TestConformance(t *testing.T) {
	p := fake.New()
	provtest.Run(t, p, provtest.Config{Image: "kubeplay/node:test", Kill: func(t *testing.T, node string) { p.Kill(node) }, IDPrefix: "t"})
}
