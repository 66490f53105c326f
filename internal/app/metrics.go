package app

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/rapport-crm/rapport/internal/history"
)

// newMetrics returns the registry /metrics serves, with the process's own
// collectors and the domain's counters, fed by the stores' subscriptions.
func newMetrics(h *history.Store) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	excluded := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rapport_interactions_excluded_total",
		Help: "Interactions not stored because a restitution rule excluded them, by rule."}, []string{"rule"})
	purged := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rapport_retention_purged_total",
		Help: "What the retention of the contact history purged, by source and kind (interactions, bodies, attachments, inline_images)."},
		[]string{"source", "kind"})
	reg.MustRegister(excluded, purged)
	h.OnExcluded(func(e history.Exclusion) { excluded.WithLabelValues(string(e)).Inc() })
	h.OnPurged(func(source, kind string, n int) { purged.WithLabelValues(source, kind).Add(float64(n)) })
	return reg
}
