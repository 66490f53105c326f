package bench

import (
	"context"
	"io"
	"os"
	"runtime/pprof"
	"testing"
)

func TestZZProfileSearch(t *testing.T) {
	if os.Getenv("ZZ_PROF") == "" {
		t.Skip()
	}
	f, _ := os.Create(os.Getenv("ZZ_PROF"))
	pprof.StartCPUProfile(f)
	defer pprof.StopCPUProfile()
	cfg := Config{Search: 20000, Queries: 300, DSN: os.Getenv("ZZ_DSN")}
	if err := Run(context.Background(), cfg, os.Stdout); err != nil {
		t.Fatal(err)
	}
	_ = io.Discard
}
