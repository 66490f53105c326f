package ui

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The public web form's limits per client address, kept in the memory of
// each instance (several instances each allow as much).
const (
	webFormWindow      = 10 * time.Minute
	webFormSubmissions = 5        // submissions taken (or pretended, for the honeypot) per window
	webFormAttempts    = 30       // posts of any outcome per window
	webFormMaxBody     = 25 << 20 // a submission's whole body, files included
)

// rateWindow counts events per key over a sliding window.
type rateWindow struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   map[string][]time.Time
}

func newRateWindow(max int, window time.Duration) *rateWindow {
	return &rateWindow{max: max, window: window, hits: map[string][]time.Time{}}
}

// full reports whether key already has max events in the window ending at now.
func (w *rateWindow) full(key string, now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.recent(key, now)) >= w.max
}

// add records an event of key at now.
func (w *rateWindow) add(key string, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hits[key] = append(w.recent(key, now), now)
	if len(w.hits) > 10_000 { // forget idle addresses so the map stays small
		for k := range w.hits {
			if len(w.recent(k, now)) == 0 {
				delete(w.hits, k)
			}
		}
	}
}

func (w *rateWindow) recent(key string, now time.Time) []time.Time {
	list := w.hits[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= w.window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(w.hits, key)
		return nil
	}
	w.hits[key] = list
	return list
}

// webFormGuard holds the public form's defences: the two rate windows
// and the count of refused posts by reason (honeypot, rate_limit,
// too_large) in the metrics.
type webFormGuard struct {
	submissions, attempts *rateWindow
	refused               *prometheus.CounterVec
}

func newWebFormGuard(reg prometheus.Registerer) *webFormGuard {
	g := &webFormGuard{submissions: newRateWindow(webFormSubmissions, webFormWindow),
		attempts: newRateWindow(webFormAttempts, webFormWindow),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rapport_webform_refused_total",
			Help: "Web form posts refused or discarded, by reason (honeypot, rate_limit, too_large)."}, []string{"reason"})}
	if reg != nil {
		if err := reg.Register(g.refused); err != nil {
			if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
				g.refused = are.ExistingCollector.(*prometheus.CounterVec)
			}
		}
	}
	return g
}
