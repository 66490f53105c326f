package app

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rapport-crm/rapport/internal/events"
)

// live is the state of the live pages: the streams' end, signalled when
// the server shuts down so that it does not wait for them.
type live struct {
	end  chan struct{}
	once sync.Once
}

// startEvents builds the bus of live pages (on PostgreSQL it listens for
// the other instances' events from the first subscription on) and
// registers its figures in /metrics.
func (a *App) startEvents() {
	a.Events = events.New(a.DB, a.Clock, a.Logger)
	a.live.end = make(chan struct{})
	stat := func(f func(events.Stats) float64) func() float64 {
		return func() float64 { return f(a.Events.Stats()) }
	}
	a.Metrics.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "rapport_events_subscriptions",
			Help: "Subscriptions to the live-pages bus open on this instance (event streams of browsers and integrations)."},
			stat(func(s events.Stats) float64 { return float64(s.Subscriptions) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "rapport_events_dropped_total",
			Help: "Live events not queued for a subscription that lagged (it received a resync instead)."},
			stat(func(s events.Stats) float64 { return float64(s.Dropped) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "rapport_events_listener_reconnects_total",
			Help: "Times this instance's listening connection to PostgreSQL was replaced (its pages resynchronised)."},
			stat(func(s events.Stats) float64 { return float64(s.Reconnects) })),
	)
}

// endLiveStreams ends every open event stream: the browsers reconnect to
// another instance, or to this one once it serves again.
func (a *App) endLiveStreams() {
	a.live.once.Do(func() { close(a.live.end) })
}

// closeEvents ends the streams and stops the bus.
func (a *App) closeEvents() error {
	a.endLiveStreams()
	return a.Events.Close()
}
