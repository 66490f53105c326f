package history

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Source is an integration that pushes interactions: one of the built-in
// Sources or one an administrator added (history_sources), with the row of
// the retention table its interactions follow.
type Source struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Retention string    `json:"retention"` // a retention class
	Builtin   bool      `json:"builtin"`
	CreatedAt time.Time `json:"created_at,omitzero"` // zero for built-in sources
}

// SourceInput is a source an administrator adds.
type SourceInput struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Retention string `json:"retention"` // a retention class; "other" when empty
}

// builtinClass is the retention class of a built-in source: the mailboxes,
// CRM messages and notifications have rows of their own.
func builtinClass(source string) string {
	switch source {
	case ClassAgentMailbox, ClassSharedMailbox, ClassCRMMessage, ClassNotification:
		return source
	}
	return ClassOther
}

var sourceCodePattern = regexp.MustCompile(`^[a-z0-9_]{2,40}$`)

// configuredSources returns the sources administrators added, code →
// retention class, read once and cached until one is added (on any
// instance: see freshConfig).
func (s *Store) configuredSources(ctx context.Context) (map[string]string, error) {
	if err := s.freshConfig(ctx); err != nil {
		return nil, err
	}
	c := &s.config
	c.mu.Lock()
	cached, gen := c.sources, c.gen
	c.mu.Unlock()
	if cached != nil {
		return cached, nil
	}
	out := map[string]string{}
	rows, err := s.db.Query(ctx, "SELECT code, retention FROM history_sources")
	if err != nil {
		return nil, fmt.Errorf("read history sources: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, class string
		if err := rows.Scan(&code, &class); err != nil {
			return nil, err
		}
		out[code] = class
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.sources = out
	}
	c.mu.Unlock()
	return out, nil
}

// validSources lists the sources ingestion accepts: the built-in ones,
// then those administrators added, in code order.
func (s *Store) validSources(ctx context.Context) ([]string, error) {
	configured, err := s.configuredSources(ctx)
	if err != nil {
		return nil, err
	}
	return append(slices.Clone(Sources), slices.Sorted(maps.Keys(configured))...), nil
}

// sourceClasses maps every known source to its retention class.
func (s *Store) sourceClasses(ctx context.Context) (map[string]string, error) {
	configured, err := s.configuredSources(ctx)
	if err != nil {
		return nil, err
	}
	out := maps.Clone(configured)
	for _, src := range Sources {
		out[src] = builtinClass(src)
	}
	return out, nil
}

// ListSources lists the built-in sources, then those administrators
// added, in code order. Requires admin.
func (s *Store) ListSources(ctx context.Context, actor *core.Actor) ([]Source, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return nil, err
	}
	out := make([]Source, 0, len(Sources))
	for _, src := range Sources {
		out = append(out, Source{Code: src, Name: src, Retention: builtinClass(src), Builtin: true})
	}
	rows, err := s.db.Query(ctx, "SELECT code, name, retention, created_at FROM history_sources ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("list history sources: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var src Source
		var created int64
		if err := rows.Scan(&src.Code, &src.Name, &src.Retention, &created); err != nil {
			return nil, err
		}
		src.CreatedAt = core.FromMillis(created)
		out = append(out, src)
	}
	return out, rows.Err()
}

// AddSource adds a source integrations may push from: a code of 2 to 40
// lower-case letters, digits or _ that is not a built-in source, a name,
// and the retention class it follows. Conflict when the code exists;
// audited. Requires admin.
func (s *Store) AddSource(ctx context.Context, actor *core.Actor, in SourceInput) (Source, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return Source{}, err
	}
	src := Source{Code: strings.TrimSpace(in.Code), Name: strings.TrimSpace(in.Name), Retention: strings.TrimSpace(in.Retention)}
	if src.Retention == "" {
		src.Retention = ClassOther
	}
	f := core.Fields{}
	switch {
	case !sourceCodePattern.MatchString(src.Code):
		f.Add("code", core.Because("source_code"))
	case slices.Contains(Sources, src.Code):
		f.Add("code", core.Because("builtin_source"))
	}
	core.CheckText(f, "name", src.Name, core.MaxName)
	core.CheckText(f, "retention", src.Retention, core.MaxCode)
	if src.Name == "" || len(src.Name) > 100 {
		f.Add("name", core.RequiredUpTo(100))
	}
	if !slices.Contains(RetentionClasses, src.Retention) {
		f.Add("retention", core.OneOf(RetentionClasses...))
	}
	if err := f.Err(); err != nil {
		return Source{}, err
	}
	src.CreatedAt = s.clock.Now()
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var n int
		err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM history_sources WHERE code = ?", src.Code).Scan(&n)
		if err != nil {
			return fmt.Errorf("find source %s: %w", src.Code, err)
		}
		if n > 0 {
			return &core.Error{Code: core.Conflict, Message: "a source with this code exists",
				Fields: core.Fields{"code": core.Because("taken")}}
		}
		if _, err := tx.Exec(ctx, "INSERT INTO history_sources (code, name, retention, created_at) VALUES (?, ?, ?, ?)",
			src.Code, src.Name, src.Retention, core.Millis(src.CreatedAt)); err != nil {
			return fmt.Errorf("add source %s: %w", src.Code, err)
		}
		if err := s.configSaved(ctx, tx); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "history_source.create", "history_source", src.Code, "",
			map[string]string{"name": src.Name, "retention": src.Retention})
	})
	if db.IsUniqueViolation(err) {
		return Source{}, &core.Error{Code: core.Conflict, Message: "a source with this code exists",
			Fields: core.Fields{"code": core.Because("taken")}}
	}
	if err != nil {
		return Source{}, err
	}
	return src, nil
}
