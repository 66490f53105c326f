package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/bench"
)

func TestLoadBenchServesFromAProcessOfItsOwnAndMeasuresItsMemory(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("RAPPORT_TEST_AS_COMMAND", "1") // the server started is this binary's main
	var out bytes.Buffer
	cfg := bench.Config{Load: true, Server: exe, Parties: 1000, Interactions: 3000, Clients: 2,
		LoadDuration: 2 * time.Second, Seed: 5}
	if err := bench.Run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	var all, memory map[string]any
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var f map[string]any
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		switch f["figure"] {
		case "load_all":
			all = f
		case "memory_load":
			memory = f
		}
	}
	if all == nil || all["requests"].(float64) == 0 || all["errors"].(float64) != 0 {
		t.Fatalf("load_all = %v, want requests and no error", all)
	}
	// The memory is the server process's, not the bench's.
	if memory == nil || memory["process"] != "rapport serve" || memory["rss_mb"].(float64) <= 0 ||
		memory["peak_rss_mb"].(float64) < memory["rss_mb"].(float64) || memory["heap_alloc_mb"].(float64) <= 0 ||
		memory["sys_mb"].(float64) < memory["heap_alloc_mb"].(float64) {
		t.Fatalf("memory_load = %v, want the server process's resident and peak sizes", memory)
	}
}
