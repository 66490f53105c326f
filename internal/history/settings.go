package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/cache"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// Settings are an establishment's restitution rules and retention
// durations, as administrators configure them (history_settings). An
// establishment without a row, or a row missing fields, uses the defaults
// of docs/product/contact-history.md for what is missing.
type Settings struct {
	Rules     Rules     `json:"rules"`
	Retention Retention `json:"retention"`
}

// The retention classes: every source follows one row of the retention
// table of docs/product/retention.md; a source not named here follows "other".
const (
	ClassAgentMailbox  = "agent_mailbox"
	ClassSharedMailbox = "shared_mailbox"
	ClassCRMMessage    = "crm_message"
	ClassNotification  = "notification"
	ClassOther         = "other"
)

// RetentionClasses lists the rows of the retention table, in display order.
var RetentionClasses = []string{ClassAgentMailbox, ClassSharedMailbox, ClassCRMMessage, ClassNotification, ClassOther}

// KeepDays says how many days each part of an interaction is kept after it
// occurred. Attachments or inline images at 0 are not kept at all: the next
// retention run purges them.
type KeepDays struct {
	Subject     int `json:"subject_days"`     // then the interaction itself is deleted
	Body        int `json:"body_days"`        // then its body
	Attachments int `json:"attachments_days"` // then its attachments' content
	Inline      int `json:"inline_days"`      // then its inline images' content
}

// Retention is an establishment's KeepDays per retention class.
type Retention map[string]KeepDays

// DefaultRetention is the retention table of docs/product/retention.md, a year being
// 365 days. "None" is 0; the "—" of other sources' inline images means
// they follow the attachments.
func DefaultRetention() Retention {
	return Retention{
		ClassAgentMailbox:  {Subject: 365, Body: 365, Attachments: 365, Inline: 60},
		ClassSharedMailbox: {Subject: 365, Body: 365, Attachments: 365, Inline: 60},
		ClassCRMMessage:    {Subject: 730, Body: 730, Attachments: 0, Inline: 0},
		ClassNotification:  {Subject: 365, Body: 365, Attachments: 0, Inline: 0},
		ClassOther:         {Subject: 730, Body: 730, Attachments: 730, Inline: 730},
	}
}

// For returns the durations of a retention class, those of "other" for a
// class the table lacks.
func (r Retention) For(class string) KeepDays {
	if k, ok := r[class]; ok {
		return k
	}
	return r[ClassOther]
}

// UnmarshalJSON merges the classes and fields present in b onto r, so a
// stored or sent retention missing some keeps r's values for them.
func (r *Retention) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	merged := maps.Clone(*r)
	if merged == nil {
		merged = Retention{}
	}
	for class, v := range raw {
		k := merged[class]
		if err := json.Unmarshal(v, &k); err != nil {
			return fmt.Errorf("retention %s: %w", class, err)
		}
		merged[class] = k
	}
	*r = merged
	return nil
}

// rulesJSON is the stored and API form of Rules; nil fields are absent and
// keep the value merged onto.
type rulesJSON struct {
	MinOutboundCallSeconds *int               `json:"min_outbound_call_seconds,omitempty"`
	PrivateKeywords        *[]string          `json:"private_keywords,omitempty"`
	SpamTags               *[]string          `json:"spam_tags,omitempty"`
	NotificationCategories *[]string          `json:"notification_categories,omitempty"`
	LetterTypes            *map[string]string `json:"letter_types,omitempty"`
	ReportWindowMinutes    *int               `json:"report_window_minutes,omitempty"`
}

// MarshalJSON writes the rules with durations in seconds.
func (r Rules) MarshalJSON() ([]byte, error) {
	secs := int(r.MinOutboundCall / time.Second)
	keywords, tags, categories := nonNil(r.PrivateKeywords), nonNil(r.SpamTags), nonNil(r.NotificationCategories)
	letters := r.LetterTypes
	if letters == nil {
		letters = map[string]string{}
	}
	window := int(r.ReportWindow / time.Minute)
	return json.Marshal(rulesJSON{MinOutboundCallSeconds: &secs, PrivateKeywords: &keywords, SpamTags: &tags,
		NotificationCategories: &categories, LetterTypes: &letters, ReportWindowMinutes: &window})
}

// UnmarshalJSON merges the fields present in b onto r: a field absent
// keeps r's value, a field present replaces it whole (an empty list
// included).
func (r *Rules) UnmarshalJSON(b []byte) error {
	var j rulesJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if j.MinOutboundCallSeconds != nil {
		r.MinOutboundCall = time.Duration(*j.MinOutboundCallSeconds) * time.Second
	}
	if j.PrivateKeywords != nil {
		r.PrivateKeywords = nonNil(*j.PrivateKeywords)
	}
	if j.ReportWindowMinutes != nil {
		r.ReportWindow = time.Duration(*j.ReportWindowMinutes) * time.Minute
	}
	if j.SpamTags != nil {
		r.SpamTags = nonNil(*j.SpamTags)
	}
	if j.NotificationCategories != nil {
		r.NotificationCategories = nonNil(*j.NotificationCategories)
	}
	if j.LetterTypes != nil {
		r.LetterTypes = maps.Clone(*j.LetterTypes)
		if r.LetterTypes == nil {
			r.LetterTypes = map[string]string{}
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// clone copies the settings so that merging onto the copy never changes
// the original's lists and maps.
func (s Settings) clone() Settings {
	c := s
	c.Rules.PrivateKeywords = slices.Clone(s.Rules.PrivateKeywords)
	c.Rules.SpamTags = slices.Clone(s.Rules.SpamTags)
	c.Rules.NotificationCategories = slices.Clone(s.Rules.NotificationCategories)
	c.Rules.LetterTypes = maps.Clone(s.Rules.LetterTypes)
	c.Retention = maps.Clone(s.Retention)
	return c
}

// DefaultSettings are the settings of an establishment nobody configured:
// the rules the store was made with and the retention of docs/product/retention.md. Each
// call returns a fresh copy, which JSON can be merged onto.
func (s *Store) DefaultSettings() Settings {
	return Settings{Rules: s.rules, Retention: DefaultRetention()}.clone()
}

var (
	categoryPattern   = regexp.MustCompile(`^[a-z0-9_]{2,40}$`)
	letterCodePattern = regexp.MustCompile(`^[A-Z0-9_]{2,10}$`)
)

// normalize trims what administrators type: blank entries dropped,
// duplicates (case and accents ignored) kept once, brackets around spam
// tags removed, categories lower-cased and letter codes upper-cased.
func (s *Settings) normalize() {
	clean := func(list []string, fn func(string) string) []string {
		out := []string{}
		seen := map[string]bool{}
		for _, v := range list {
			v = fn(strings.TrimSpace(v))
			if v == "" || seen[party.Fold(v)] {
				continue
			}
			seen[party.Fold(v)] = true
			out = append(out, v)
		}
		return out
	}
	same := func(v string) string { return v }
	s.Rules.PrivateKeywords = clean(s.Rules.PrivateKeywords, same)
	s.Rules.SpamTags = clean(s.Rules.SpamTags, func(v string) string {
		return strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(v, "["), "]"))
	})
	s.Rules.NotificationCategories = clean(s.Rules.NotificationCategories, strings.ToLower)
	letters := make(map[string]string, len(s.Rules.LetterTypes))
	for code, label := range s.Rules.LetterTypes {
		letters[strings.ToUpper(strings.TrimSpace(code))] = strings.TrimSpace(label)
	}
	s.Rules.LetterTypes = letters
}

// Validate checks settings; the error names every field at fault as
// "rules.<field>" or "retention.<class>.<field>".
func (s Settings) Validate() error {
	f := core.Fields{}
	r := s.Rules
	if r.MinOutboundCall < 0 || r.MinOutboundCall > time.Hour || r.MinOutboundCall%time.Second != 0 {
		f.Add("rules.min_outbound_call_seconds", core.Because("seconds_between", "min", 0, "max", 3600))
	}
	if r.ReportWindow < 0 || r.ReportWindow > 4*time.Hour || r.ReportWindow%time.Minute != 0 {
		f.Add("rules.report_window_minutes", core.Because("minutes_between", "min", 0, "max", 240))
	}
	for _, k := range r.PrivateKeywords {
		if strings.ContainsAny(k, " \t") || len(k) > 40 {
			f.Add("rules.private_keywords", core.Because("private_keywords", "max", 40))
		}
	}
	for _, t := range r.SpamTags {
		if strings.ContainsAny(t, "[]") || len(t) > 60 {
			f.Add("rules.spam_tags", core.Because("spam_tags", "max", 60))
		}
	}
	for _, c := range r.NotificationCategories {
		if !categoryPattern.MatchString(c) {
			f.Add("rules.notification_categories", core.Because("category_codes"))
		}
	}
	for code, label := range r.LetterTypes {
		if !letterCodePattern.MatchString(code) {
			f.Add("rules.letter_types", core.Because("letter_type_codes"))
		}
		if label == "" || len(label) > 100 {
			f.Add("rules.letter_types", core.Because("letter_type_labels", "max", 100))
		}
	}
	for class, k := range s.Retention {
		p := "retention." + class + "."
		if !slices.Contains(RetentionClasses, class) {
			f.Add("retention."+class, core.OneOf(RetentionClasses...))
			continue
		}
		switch {
		case k.Subject < 1:
			f.Add(p+"subject_days", core.Because("days_positive"))
		case k.Subject > 36500:
			f.Add(p+"subject_days", core.Because("days_at_most", "max", 36500))
		}
		switch {
		case k.Body < 1:
			f.Add(p+"body_days", core.Because("days_positive"))
		case k.Body > k.Subject:
			f.Add(p+"body_days", core.Because("exceeds_subject"))
		}
		for name, d := range map[string]int{"attachments_days": k.Attachments, "inline_days": k.Inline} {
			switch {
			case d < 0:
				f.Add(p+name, core.Because("not_negative"))
			case d > k.Subject:
				f.Add(p+name, core.Because("exceeds_subject"))
			}
		}
	}
	for _, class := range RetentionClasses {
		if _, ok := s.Retention[class]; !ok {
			f.Add("retention."+class, core.Required())
		}
	}
	return f.Err()
}

// configCache holds what administrators configure, read once and kept in
// memory until they save: the settings of each establishment and the
// sources they added. gen moves on every change, so a read that raced a
// save is not kept. A save on any instance moves the cache_versions row
// configCacheName on, which version finds within a second (package cache).
type configCache struct {
	mu       sync.Mutex
	gen      uint64
	settings map[string]Settings // establishment id → settings
	sources  map[string]string   // configured source code → retention class; nil until read
	version  cache.Version
}

// configCacheName is the configuration cache's row in cache_versions.
const configCacheName = "history_config"

// freshConfig drops the cached configuration when a save (on any
// instance) moved its version on since it was read.
func (s *Store) freshConfig(ctx context.Context) error {
	changed, err := s.config.version.Changed(ctx, s.db, configCacheName)
	if changed {
		s.config.forget()
	}
	return err
}

// configSaved is called in the transaction of every save of the
// configuration: the version moves on for the other instances, and this
// one forgets its copy once the save commits.
func (s *Store) configSaved(ctx context.Context, tx *db.Tx) error {
	tx.AfterCommit(s.config.forget)
	return cache.Bump(ctx, tx, configCacheName)
}

// forget drops everything cached; the next reads go to the database.
func (c *configCache) forget() {
	c.mu.Lock()
	c.gen++
	c.settings, c.sources = nil, nil
	c.mu.Unlock()
}

// settingsOf returns the settings of an establishment (root unit id), the
// defaults for "" or an establishment nobody configured. The result is
// shared: callers must not change its lists and maps.
func (s *Store) settingsOf(ctx context.Context, establishmentID string) (Settings, error) {
	if err := s.freshConfig(ctx); err != nil {
		return Settings{}, err
	}
	c := &s.config
	c.mu.Lock()
	st, ok := c.settings[establishmentID]
	gen := c.gen
	c.mu.Unlock()
	if ok {
		return st, nil
	}
	st = s.DefaultSettings()
	if establishmentID != "" {
		var rules, retention string
		err := s.db.QueryRow(ctx, "SELECT rules, retention FROM history_settings WHERE establishment_id = ?",
			establishmentID).Scan(&rules, &retention)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return Settings{}, fmt.Errorf("settings of establishment %s: %w", establishmentID, err)
		default:
			if st, err = s.parseSettings(rules, retention); err != nil {
				return Settings{}, fmt.Errorf("settings of establishment %s: %w", establishmentID, err)
			}
		}
	}
	c.mu.Lock()
	if c.gen == gen {
		if c.settings == nil {
			c.settings = map[string]Settings{}
		}
		c.settings[establishmentID] = st
	}
	c.mu.Unlock()
	return st, nil
}

// parseSettings merges stored JSON onto the defaults.
func (s *Store) parseSettings(rules, retention string) (Settings, error) {
	st := s.DefaultSettings()
	if err := json.Unmarshal([]byte(rules), &st.Rules); err != nil {
		return Settings{}, fmt.Errorf("rules: %w", err)
	}
	if err := json.Unmarshal([]byte(retention), &st.Retention); err != nil {
		return Settings{}, fmt.Errorf("retention: %w", err)
	}
	return st, nil
}

// EstablishmentSettings are an establishment's settings as administrators
// see them.
type EstablishmentSettings struct {
	EstablishmentID   string
	EstablishmentCode string
	EstablishmentName string
	Settings
	Custom    bool      // saved by an administrator; false while the defaults apply
	UpdatedAt time.Time // when last saved, zero if never
}

// establishmentByCode finds an establishment (a root unit) by its code;
// any other unit is NotFound.
func establishmentByCode(ctx context.Context, q db.Querier, code string) (EstablishmentSettings, error) {
	var e EstablishmentSettings
	err := q.QueryRow(ctx, "SELECT id, code, name FROM units WHERE code = ? AND parent_id IS NULL",
		strings.TrimSpace(code)).Scan(&e.EstablishmentID, &e.EstablishmentCode, &e.EstablishmentName)
	if errors.Is(err, sql.ErrNoRows) {
		return e, core.Errorf(core.NotFound, "no establishment has the code %q", code)
	}
	if err != nil {
		return e, fmt.Errorf("establishment %s: %w", code, err)
	}
	return e, nil
}

// loadSettings reads an establishment's row through q, defaults when none.
func (s *Store) loadSettings(ctx context.Context, q db.Querier, e *EstablishmentSettings) error {
	var rules, retention string
	var updated int64
	err := q.QueryRow(ctx, "SELECT rules, retention, updated_at FROM history_settings WHERE establishment_id = ?",
		e.EstablishmentID).Scan(&rules, &retention, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		e.Settings, e.Custom, e.UpdatedAt = s.DefaultSettings(), false, time.Time{}
		return nil
	}
	if err != nil {
		return fmt.Errorf("settings of %s: %w", e.EstablishmentCode, err)
	}
	if e.Settings, err = s.parseSettings(rules, retention); err != nil {
		return fmt.Errorf("settings of %s: %w", e.EstablishmentCode, err)
	}
	e.Custom, e.UpdatedAt = true, core.FromMillis(updated)
	return nil
}

// EstablishmentSettings returns the settings of the establishment with
// this code. Requires admin.
func (s *Store) EstablishmentSettings(ctx context.Context, actor *core.Actor, code string) (EstablishmentSettings, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return EstablishmentSettings{}, err
	}
	e, err := establishmentByCode(ctx, s.db, code)
	if err != nil {
		return e, err
	}
	return e, s.loadSettings(ctx, s.db, &e)
}

// SettingsOverview lists every establishment, saying which have settings
// of their own. Requires admin.
func (s *Store) SettingsOverview(ctx context.Context, actor *core.Actor) ([]EstablishmentSettings, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT u.id, u.code, u.name, h.updated_at FROM units u
		LEFT JOIN history_settings h ON h.establishment_id = u.id WHERE u.parent_id IS NULL ORDER BY u.code`)
	if err != nil {
		return nil, fmt.Errorf("list establishments: %w", err)
	}
	defer rows.Close()
	var out []EstablishmentSettings
	for rows.Next() {
		var e EstablishmentSettings
		var updated sql.NullInt64
		if err := rows.Scan(&e.EstablishmentID, &e.EstablishmentCode, &e.EstablishmentName, &updated); err != nil {
			return nil, err
		}
		if updated.Valid {
			e.Custom, e.UpdatedAt = true, core.FromMillis(updated.Int64)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveSettings replaces an establishment's settings after normalising and
// validating them (Invalid names the fields at fault). The change is
// audited with the settings before and after; ingestion and retention use
// the new settings from the next item on. Requires admin.
func (s *Store) SaveSettings(ctx context.Context, actor *core.Actor, code string, in Settings) (EstablishmentSettings, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return EstablishmentSettings{}, err
	}
	in = in.clone()
	in.normalize()
	var out EstablishmentSettings
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		e, err := establishmentByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		before := e
		if err := s.loadSettings(ctx, tx, &before); err != nil {
			return err
		}
		rules, err := json.Marshal(in.Rules)
		if err != nil {
			return err
		}
		retention, err := json.Marshal(in.Retention)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if before.Custom {
			_, err = tx.Exec(ctx, "UPDATE history_settings SET rules = ?, retention = ?, updated_at = ? WHERE establishment_id = ?",
				string(rules), string(retention), core.Millis(now), e.EstablishmentID)
		} else {
			_, err = tx.Exec(ctx, "INSERT INTO history_settings (establishment_id, rules, retention, updated_at) VALUES (?, ?, ?, ?)",
				e.EstablishmentID, string(rules), string(retention), core.Millis(now))
		}
		if err != nil {
			return fmt.Errorf("save settings of %s: %w", code, err)
		}
		changes := map[string]audit.Change{
			"rules":     {Old: before.Rules, New: in.Rules},
			"retention": {Old: before.Retention, New: in.Retention},
		}
		if err := s.log.Record(ctx, tx, actor, "history_settings.update", "unit", e.EstablishmentID, "", changes); err != nil {
			return err
		}
		if err := s.configSaved(ctx, tx); err != nil {
			return err
		}
		out = e
		out.Settings, out.Custom, out.UpdatedAt = in, true, now
		return nil
	})
	if db.IsUniqueViolation(err) {
		// Saved at the same moment by another administrator: this save wins.
		return s.SaveSettings(ctx, actor, code, in)
	}
	return out, err
}
