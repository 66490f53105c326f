package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// liveHeartbeat is how often an idle stream sends a comment line, which
// keeps proxies from closing it, finds clients that went away, and
// checks the stream's credentials again (Deps.LiveHeartbeat).
const liveHeartbeat = 20 * time.Second

// liveStreams serves the events of the bus to browsers and integrations
// as server-sent events: GET /events with the UI's session cookie, GET
// /api/v1/events with an API token (or the cookie). Each stream carries
// the events whose audience reaches its agent, as unnamed messages whose
// data is {"id","topic","data"}; a {"topic":"resync"} message means
// events were missed and the page should refetch what it shows.
// Last-Event-ID is not supported: a client that reconnects starts afresh
// and should refetch, as for a resync.
type liveStreams struct {
	bus       *events.Bus
	auth      *auth.Service
	logger    *slog.Logger
	end       <-chan struct{} // closed when the server shuts down
	heartbeat time.Duration
}

// mountLive registers the event streams, when the application has a bus.
func mountLive(mux *http.ServeMux, d Deps) {
	if d.Events == nil {
		return
	}
	l := &liveStreams{bus: d.Events, auth: d.Auth, logger: d.Logger, end: d.LiveEnd, heartbeat: d.LiveHeartbeat}
	if l.heartbeat <= 0 {
		l.heartbeat = liveHeartbeat
	}
	mux.HandleFunc("GET /events", func(w http.ResponseWriter, r *http.Request) { l.serve(w, r, false) })
	mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, r *http.Request) { l.serve(w, r, true) })
}

// credential says who asks, and checks it again later without counting
// as a use of a session.
type credential func(ctx context.Context, again bool) (*core.Actor, error)

func (l *liveStreams) credential(r *http.Request, api bool) credential {
	if tok := httpx.BearerToken(r); api && tok != "" {
		return func(ctx context.Context, _ bool) (*core.Actor, error) { return l.auth.TokenActor(ctx, tok) }
	}
	c, err := r.Cookie(httpx.SessionCookie)
	if err != nil {
		return func(context.Context, bool) (*core.Actor, error) {
			return nil, core.Errorf(core.Unauthorized, "sign in or send a bearer token")
		}
	}
	return func(ctx context.Context, again bool) (*core.Actor, error) {
		if again {
			return l.auth.SessionStillOpen(ctx, c.Value)
		}
		return l.auth.SessionActor(ctx, c.Value)
	}
}

func (l *liveStreams) serve(w http.ResponseWriter, r *http.Request, api bool) {
	who := l.credential(r, api)
	actor, err := who(r.Context(), false)
	if err != nil {
		l.refuse(w, r, err, api)
		return
	}
	ctx := r.Context()
	sub := l.bus.Subscribe(ctx, events.Filter{Actor: actor})
	defer sub.Close()
	select { // what is published from now on reaches the stream
	case <-l.bus.Listening():
	case <-ctx.Done():
		return
	case <-l.end:
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{}) // a stream outlives the server's ReadTimeout
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 5000\n: listening\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	heartbeat := time.NewTicker(l.heartbeat)
	defer heartbeat.Stop()
	for {
		var out string
		select {
		case <-ctx.Done():
			return
		case <-l.end:
			return
		case e, ok := <-sub.C:
			if !ok {
				return // the bus closed
			}
			out = message(e)
		case <-heartbeat.C:
			now, err := who(ctx, true)
			switch {
			case err == nil && sameReach(actor, now):
			case err == nil || core.ErrorCode(err) == core.Unauthorized:
				return // signed out, revoked, or its scope changed: the browser reconnects if it may
			default:
				// The database does not answer: the stream stays, checked
				// again at the next heartbeat (a browser refused on
				// reconnection would give up).
				l.logger.WarnContext(ctx, "event stream: credentials not checked", "err", err)
			}
			out = ": heartbeat\n\n"
		}
		if _, err := fmt.Fprint(w, out); err != nil || rc.Flush() != nil {
			return
		}
	}
}

// message is an event as one server-sent message.
func message(e events.Event) string {
	data := e.Data
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	b, _ := json.Marshal(struct {
		ID    string          `json:"id,omitempty"`
		Topic string          `json:"topic"`
		Data  json.RawMessage `json:"data"`
	}{e.ID, e.Topic, data})
	if e.ID != "" {
		return "id: " + e.ID + "\ndata: " + string(b) + "\n\n"
	}
	return "data: " + string(b) + "\n\n"
}

// sameReach reports whether an actor still reaches the same audiences.
func sameReach(a, b *core.Actor) bool {
	return a.AgentID == b.AgentID && a.Scope.All == b.Scope.All &&
		slices.Equal(slices.Sorted(slices.Values(a.Scope.UnitIDs)), slices.Sorted(slices.Values(b.Scope.UnitIDs)))
}

// refuse answers a stream that cannot start: in the API's error envelope
// under /api/v1, in plain text for the UI (an EventSource stops on it).
func (l *liveStreams) refuse(w http.ResponseWriter, r *http.Request, err error, api bool) {
	code := httpx.Code(err) // an outage is a 503 with Retry-After, not a 500
	status := httpx.Status(code)
	msg := httpx.Message(err)
	if status >= 500 {
		l.logger.ErrorContext(r.Context(), "event stream", "err", err)
	}
	if code == core.Unavailable {
		w.Header().Set("Retry-After", httpx.RetryAfter)
	} else if status >= 500 {
		msg = "internal error"
	}
	if !api {
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Error httpx.ErrorDetail `json:"error"`
	}{httpx.ErrorDetail{Code: string(code), Message: msg}})
}
