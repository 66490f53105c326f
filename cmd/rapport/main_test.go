package main

import (
	"os"
	"testing"
)

// TestMain lets a test start this test binary as the rapport command
// (RAPPORT_TEST_AS_COMMAND=1), for what runs rapport in a process of its
// own, such as the load bench's server.
func TestMain(m *testing.M) {
	if os.Getenv("RAPPORT_TEST_AS_COMMAND") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
