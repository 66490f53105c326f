package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rapport-crm/rapport/internal/jobs"
	"github.com/rapport-crm/rapport/internal/outbox"
)

// FilesCollectJob is the kind of the hourly job that deletes the stored
// files no attachment holds any more.
const FilesCollectJob = "files.collect"

// RetentionJob is the kind of the hourly job that runs the contact
// history's retention (a finished day is not redone, so it purges once a
// day, soon after midnight UTC, and resumes a run a crash interrupted).
const RetentionJob = "history.retention"

// LeadsAssignJob is the kind of the job that, every minute, gives the
// leads waiting for an agent (their unit was closed, or nobody was
// available) to the agents available now, by round-robin.
const LeadsAssignJob = "leads.assign_waiting"

// wireJobs builds the job runner and the outbox with their deliverers, and
// schedules the application's periodic jobs. A malformed RAPPORT_SMTP_URL
// is an error: better refused at start than every email failing later.
func (a *App) wireJobs() error {
	a.Jobs = jobs.New(a.DB, a.Clock, a.Audit, a.Logger, jobs.Options{})
	var del outbox.Deliverers
	if a.Config.SMTPURL != "" {
		smtp, err := outbox.NewSMTP(a.Config.SMTPURL)
		if err != nil {
			return err
		}
		del.Email = smtp
		a.Logger.Info("emails sent through", "smtp", smtp.String())
	}
	del.SMS = a.SMSGateways
	del.Webhook = &outbox.WebhookClient{Secret: []byte(a.Config.WebhookSecret), Clock: a.Clock}
	a.Outbox = outbox.New(a.DB, a.Clock, a.Jobs, del)
	a.SchedulePeriodic(RetentionJob, time.Hour, func(ctx context.Context) error {
		_, err := a.History.Retain(ctx, a.Logger)
		return err
	})
	a.SchedulePeriodic(FilesCollectJob, time.Hour, func(ctx context.Context) error {
		n, err := a.History.CollectFiles(ctx)
		if n > 0 {
			a.Logger.Info("unreferenced files collected", "files", n)
		}
		return err
	})
	a.SchedulePeriodic(LeadsAssignJob, time.Minute, func(ctx context.Context) error {
		n, err := a.Leads.AssignWaiting(ctx)
		if n > 0 {
			a.Logger.Info("waiting leads assigned", "leads", n)
		}
		return err
	})
	a.Metrics.MustRegister(jobCounts{jobs: a.Jobs})
	failures := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rapport_job_failures_total",
		Help: "Failed job attempts by kind; final is true when the job is failed for good."}, []string{"kind", "final"})
	a.Metrics.MustRegister(failures)
	a.Jobs.OnFailure(func(kind string, final bool) {
		f := "false"
		if final {
			f = "true"
		}
		failures.WithLabelValues(kind, f).Inc()
	})
	return nil
}

// SchedulePeriodic runs fn once per period across every instance (an hour:
// on the hour), as a job of the given kind retried with backoff if it
// fails; fn must be idempotent. Call it before Serve.
func (a *App) SchedulePeriodic(kind string, every time.Duration, fn func(ctx context.Context) error) {
	a.Jobs.Handle(kind, func(ctx context.Context, _ jobs.Job) error { return fn(ctx) })
	a.Jobs.Schedule(jobs.Periodic{Kind: kind, Every: every, MaxAttempts: 3})
}

// jobCounts is the collector of rapport_jobs: the jobs queued, running and
// failed by kind, counted at scrape time.
type jobCounts struct{ jobs *jobs.Runner }

var jobsDesc = prometheus.NewDesc("rapport_jobs", "Background jobs by kind and state (queued, running, failed).",
	[]string{"kind", "state"}, nil)

// Describe implements prometheus.Collector.
func (c jobCounts) Describe(ch chan<- *prometheus.Desc) { ch <- jobsDesc }

// Collect implements prometheus.Collector.
func (c jobCounts) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.jobs.Counts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(jobsDesc, err)
		return
	}
	// Every handled kind has its three series, at 0 when it has no job.
	values := map[[2]string]int{}
	for _, k := range c.jobs.Kinds() {
		for _, s := range []jobs.State{jobs.Queued, jobs.Running, jobs.Failed} {
			values[[2]string{k, string(s)}] = 0
		}
	}
	for _, n := range counts {
		values[[2]string{n.Kind, string(n.State)}] = n.N
	}
	for key, n := range values {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(n), key[0], key[1])
	}
}
