package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
)

// serverProcess is `rapport serve` started by the load bench in a process
// of its own on the bench's database, so that its memory is the server's
// alone, without the bench's generators and clients.
type serverProcess struct {
	api  *apiServer
	cmd  *exec.Cmd
	base string // http://host:port
}

// serverMemoryFigure is the server process's memory after the load.
type serverMemoryFigure struct {
	Figure    string  `json:"figure"`
	Process   string  `json:"process"`
	RSSMB     float64 `json:"rss_mb"`
	PeakRSSMB float64 `json:"peak_rss_mb"` // since the server started
	// What the server's Go runtime says of itself (its /metrics): the live
	// heap and all it holds from the system; the rest of the resident size
	// is outside Go (SQLite's page caches, through its C allocator).
	HeapAllocMB float64 `json:"heap_alloc_mb"`
	SysMB       float64 `json:"sys_mb"`
}

// serverStartTimeout is how long the server may take to answer /readyz.
const serverStartTimeout = 2 * time.Minute

// startServer issues an API token for the admin agent, starts exe serve on
// a free loopback port with the database dsn and a temporary data
// directory, and waits until it is ready.
func startServer(ctx context.Context, a *app.App, exe, dsn string, logger *slog.Logger) (*serverProcess, error) {
	token, err := adminToken(ctx, a)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("find a free port: %w", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir, err := os.MkdirTemp("", "rapport-bench-serve-")
	if err != nil {
		return nil, fmt.Errorf("create the server's data directory: %w", err)
	}
	cmd := exec.Command(exe, "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "RAPPORT_DATABASE_URL="+dsn, "RAPPORT_DATA_DIR="+dir,
		"RAPPORT_FILES_DIR="+dir+"/files", "RAPPORT_LOG_LEVEL=warn")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s serve: %w", exe, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	s := &serverProcess{cmd: cmd, base: "http://" + addr, api: &apiServer{url: "http://" + addr + "/api/v1/interactions", token: token,
		client: &http.Client{Timeout: 10 * time.Minute}}}
	s.api.stop = func() error {
		_ = cmd.Process.Signal(os.Interrupt)
		var err error
		select {
		case err = <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			err = errors.Join(errors.New("the server did not stop within 30 s: killed"), <-exited)
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) && !exit.Exited() {
			err = nil // stopped by the signal
		}
		return errors.Join(err, os.RemoveAll(dir))
	}
	logger.Info("bench: serving from a process of its own", "pid", cmd.Process.Pid, "addr", addr)
	if err := waitReady(ctx, "http://"+addr+"/readyz", exited); err != nil {
		return nil, errors.Join(err, s.api.stop())
	}
	return s, nil
}

// waitReady asks url until it answers 200, the process exits or
// serverStartTimeout passes.
func waitReady(ctx context.Context, url string, exited <-chan error) error {
	deadline := time.Now().Add(serverStartTimeout)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("the server stopped before it was ready: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server was not ready within %s", serverStartTimeout)
		}
	}
}

// memory is the server process's memory now, and its peak since it started.
func (s *serverProcess) memory(ctx context.Context, figure string) (serverMemoryFigure, error) {
	rss, peak := residentOf(strconv.Itoa(s.cmd.Process.Pid))
	f := serverMemoryFigure{Figure: figure, Process: "rapport serve", RSSMB: rss, PeakRSSMB: peak}
	metrics, err := s.metrics(ctx)
	if err != nil {
		return f, err
	}
	f.HeapAllocMB, f.SysMB = round(metrics["go_memstats_heap_alloc_bytes"]/(1<<20)), round(metrics["go_memstats_sys_bytes"]/(1<<20))
	return f, nil
}

// metrics reads the server's /metrics: the value of each series without labels.
func (s *serverProcess) metrics(ctx context.Context) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("read the server's metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("read the server's metrics: %s", resp.Status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			out[name] = v
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read the server's metrics: %w", err)
	}
	return out, nil
}
