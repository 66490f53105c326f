package auth

import (
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// ReasonExpiryPast is why a token's expiry in the past is refused.
func ReasonExpiryPast() core.Reason { return core.Because("future") }

// ReasonExpiryFormat is why an unreadable token lifetime is refused.
func ReasonExpiryFormat() core.Reason { return core.Because("lifetime") }

// ParseExpiry reads when a token created at now should expire: a lifetime
// in days ("90d"), or a Go duration ("12h", "30m"), or a date
// ("2027-03-01", the start of that day in UTC). Empty means never (the
// zero time).
func ParseExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	bad := core.Fields{"expires": ReasonExpiryFormat()}.Err()
	switch {
	case s == "":
		return time.Time{}, nil
	case strings.HasSuffix(s, "d"):
		days, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil || days <= 0 || days > 36600 {
			return time.Time{}, bad
		}
		return now.AddDate(0, 0, days), nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return time.Time{}, core.Fields{"expires": ReasonExpiryPast()}.Err()
		}
		return now.Add(d), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, bad
}
