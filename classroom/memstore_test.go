package classroom_test

import (
	"testing"

	"github.com/kubeplay/kubeplay/classroom"
	"github.com/kubeplay/kubeplay/classroom/storetest"
)

func TestMemStore(t *testing.T) { storetest.Run(t, classroom.NewMemStore()) }
