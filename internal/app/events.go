package app

import (
	"sync"

	"github.com/rapport-crm/rapport/internal/events"
)

// live is the state of the live pages: the streams' end, signalled when
// the server shuts down so that it does not wait for them.
type live struct {
	end  chan struct{}
	once sync.Once
}

// startEvents builds the bus of live pages (on PostgreSQL it starts
// listening for the other instances' events at once).
func (a *App) startEvents() {
	a.Events = events.New(a.DB, a.Clock, a.Logger)
	a.live.end = make(chan struct{})
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
