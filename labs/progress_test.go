package labs_test

import (
	"testing"

	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/labs/progresstest"
)

func TestMemProgress(t *testing.T) {
	progresstest.Run(t, func(*testing.T) labs.ProgressStore { return &labs.MemProgress{} })
}
