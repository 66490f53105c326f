package httpx

import (
	"context"
	"errors"
)

// StatusClientClosed is the status a request gets when its client went
// away before the answer (nginx's 499): a search the agent's next
// keystroke superseded. Nothing is meant to be read; the metrics count it
// apart from failures.
const StatusClientClosed = 499

// ClientGone reports whether err is the cancellation of ctx, the request's
// own context, which net/http cancels when the client closes the
// connection or aborts the request: the work stopped on purpose, no error
// to log or show.
func ClientGone(ctx context.Context, err error) bool {
	return errors.Is(err, context.Canceled) && ctx.Err() != nil
}
