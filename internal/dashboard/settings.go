package dashboard

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// Settings are a widget's settings by name; an empty value is the
// default. Which names a kind takes is SettingNames.
type Settings map[string]string

// The windows of the lead response time widget.
const (
	Window12h = "12h"
	Window24h = "24h"
	Window7d  = "7d"
)

// Windows lists them.
var Windows = []string{Window12h, Window24h, Window7d}

// windowSpans are their durations.
var windowSpans = map[string]time.Duration{Window12h: 12 * time.Hour, Window24h: 24 * time.Hour, Window7d: 7 * 24 * time.Hour}

// The recent customers widget shows from 1 to MaxRecentShown customers.
const (
	DefaultRecentShown = 8
	MaxRecentShown     = 20
)

// SettingNames lists the settings each kind takes; a kind not listed
// takes none.
var SettingNames = map[string][]string{
	KindLeadResponse:    {"window", "source_group", "product", "unit"},
	KindRecentCustomers: {"count"},
}

// Window is the lead response time widget's window (24 hours by default).
func (s Settings) Window() (string, time.Duration) {
	if w, ok := windowSpans[s["window"]]; ok {
		return s["window"], w
	}
	return Window24h, windowSpans[Window24h]
}

// Count is how many customers the recent customers widget shows.
func (s Settings) Count() int {
	if n, err := strconv.Atoi(s["count"]); err == nil && n >= 1 && n <= MaxRecentShown {
		return n
	}
	return DefaultRecentShown
}

// checkSettings validates in for a widget of kind and returns it without
// its empty values: an unknown name, a window not offered, a text too long
// or not text, a count out of range, a unit unknown or out of the actor's
// scope are refused with their reasons.
func (s *Store) checkSettings(ctx context.Context, actor *core.Actor, kind string, in Settings) (Settings, error) {
	fields := core.Fields{}
	out := Settings{}
	names := SettingNames[kind]
	for name, v := range in {
		if !core.CheckText(fields, "settings", name, core.MaxCode) {
			continue
		}
		if !slices.Contains(names, name) {
			fields.Add(name, core.Because("unknown_setting"))
			continue
		}
		v = strings.TrimSpace(v)
		if !core.CheckText(fields, name, v, core.MaxCode) || v == "" {
			continue
		}
		out[name] = v
	}
	if w, ok := out["window"]; ok && !slices.Contains(Windows, w) {
		fields.Add("window", core.OneOf(Windows...))
	}
	if c, ok := out["count"]; ok {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil {
			fields.Add("count", core.Because("whole_number"))
		} else {
			core.CheckRange(fields, "count", n, 1, MaxRecentShown)
		}
	}
	if code, ok := out["unit"]; ok {
		u, err := s.orgs.UnitByCode(ctx, code)
		switch {
		case core.ErrorCode(err) == core.NotFound:
			fields.Add("unit", core.Because("unknown_unit_code", "code", code))
		case err != nil:
			return nil, err
		case !actor.Scope.Contains(u.ID):
			fields.Add("unit", core.Because("outside_scope"))
		}
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// encode is the settings as stored: JSON with sorted names.
func (s Settings) encode() string {
	if len(s) == 0 {
		return "{}"
	}
	raw, _ := json.Marshal(map[string]string(s)) // its names sorted

	return string(raw)
}

// decodeSettings reads stored settings; unreadable ones are the defaults.
func decodeSettings(raw string) Settings {
	out := Settings{}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return Settings{}
	}
	return out
}
