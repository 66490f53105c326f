package leads

import (
	"time"

	"github.com/rapport-crm/rapport/internal/bizhours"
)

// ClockStart is when a lead's response time starts: its receipt when the
// unit's business hours are open then, else their next opening (nights,
// weekends, holidays and closing days skipped). A calendar that never
// opens leaves the receipt.
func ClockStart(cal *bizhours.Calendar, received time.Time) time.Time {
	next := cal.NextOpening(received)
	if next.IsZero() {
		return received
	}
	return next
}

// ResponseMinutes is the business time, in whole minutes, from a lead's
// clock start to its first response; a response before the clock started
// (an agent answering at night) is 0.
func ResponseMinutes(cal *bizhours.Calendar, clockStart, responded time.Time) int64 {
	return int64(cal.OpenDuration(clockStart, responded) / time.Minute)
}
