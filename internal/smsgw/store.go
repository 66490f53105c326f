package smsgw

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/secret"
)

// Store keeps the gateways and sends through them.
type Store struct {
	db     *db.DB
	clock  core.Clock
	log    *audit.Log
	orgs   *org.Store
	key    *secret.Key
	client *http.Client
}

// Deps are what the store needs.
type Deps struct {
	DB     *db.DB
	Clock  core.Clock
	Audit  *audit.Log
	Orgs   *org.Store
	Key    *secret.Key  // seals the gateways' passwords
	Client *http.Client // nil: one with a 15-second timeout
}

// NewStore returns the store.
func NewStore(d Deps) *Store {
	c := d.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second}
	}
	return &Store{db: d.DB, clock: d.Clock, log: d.Audit, orgs: d.Orgs, key: d.Key, client: c}
}

const gatewayColumns = `g.establishment_id, u.code, g.url, g.username, g.password_sealed, g.sender, g.body_template, g.active, g.updated_at`

func scanGateway(row interface{ Scan(...any) error }) (Gateway, error) {
	var g Gateway
	var updated int64
	err := row.Scan(&g.EstablishmentID, &g.EstablishmentCode, &g.URL, &g.Username, &g.password, &g.Sender,
		&g.BodyTemplate, &g.Active, &updated)
	g.HasPassword, g.UpdatedAt = g.password != "", core.FromMillis(updated)
	return g, err
}

func (s *Store) gateway(ctx context.Context, q db.Querier, establishmentID string) (Gateway, error) {
	g, err := scanGateway(q.QueryRow(ctx, "SELECT "+gatewayColumns+
		" FROM sms_gateways g JOIN units u ON u.id = g.establishment_id WHERE g.establishment_id = ?", establishmentID))
	if errors.Is(err, sql.ErrNoRows) {
		return Gateway{}, core.Errorf(core.NotFound, "no SMS gateway for establishment %s", establishmentID)
	}
	if err != nil {
		return Gateway{}, fmt.Errorf("SMS gateway of %s: %w", establishmentID, err)
	}
	return g, nil
}

// Gateway returns the gateway of the establishment with code; NotFound
// when it has none. Requires admin and the establishment in scope.
func (s *Store) Gateway(ctx context.Context, actor *core.Actor, code string) (Gateway, error) {
	u, err := s.orgs.AdministeredEstablishment(ctx, actor, code)
	if err != nil {
		return Gateway{}, err
	}
	return s.gateway(ctx, s.db, u.ID)
}

// ActiveGateway reports whether the establishment has an active gateway,
// read through q (the alerts ask inside an assignment's transaction).
func (s *Store) ActiveGateway(ctx context.Context, q db.Querier, establishmentID string) (bool, error) {
	var active bool
	err := q.QueryRow(ctx, "SELECT active FROM sms_gateways WHERE establishment_id = ?", establishmentID).Scan(&active)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("SMS gateway of %s: %w", establishmentID, err)
	}
	return active, nil
}

// check validates in and says which field is wrong.
func check(in *Input) error {
	f := core.Fields{}
	in.URL, in.Username, in.Sender = strings.TrimSpace(in.URL), strings.TrimSpace(in.Username), strings.TrimSpace(in.Sender)
	if strings.TrimSpace(in.BodyTemplate) == "" {
		in.BodyTemplate = DefaultTemplate
	}
	if core.CheckText(f, "url", in.URL, core.MaxSubject) {
		u, err := url.Parse(in.URL)
		if in.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			f.Add("url", core.Because("http_url"))
		}
	}
	core.CheckText(f, "username", in.Username, core.MaxCoordinate)
	core.CheckText(f, "password", in.Password, core.MaxPassword)
	core.CheckText(f, "sender", in.Sender, core.MaxCode)
	if core.CheckText(f, "body_template", in.BodyTemplate, core.MaxLongText) {
		if !strings.Contains(in.BodyTemplate, "{{to}}") || !strings.Contains(in.BodyTemplate, "{{text}}") {
			f.Add("body_template", templateReason())
		} else if _, err := Render(in.BodyTemplate, "+33600000000", "x\"\n\\", in.Sender); err != nil {
			f.Add("body_template", templateReason())
		}
	}
	return f.Err()
}

// Save sets the gateway of the establishment with code; an empty password
// keeps the stored one. Audited (never the password); requires admin and
// the establishment in scope.
func (s *Store) Save(ctx context.Context, actor *core.Actor, code string, in Input) (Gateway, error) {
	u, err := s.orgs.AdministeredEstablishment(ctx, actor, code)
	if err != nil {
		return Gateway{}, err
	}
	if err := check(&in); err != nil {
		return Gateway{}, err
	}
	sealed, err := s.key.Seal(in.Password)
	if err != nil {
		return Gateway{}, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if in.Password == "" {
			if old, err := s.gateway(ctx, tx, u.ID); err == nil {
				sealed = old.password
			} else if core.ErrorCode(err) != core.NotFound {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sms_gateways (establishment_id, url, username, password_sealed, sender,
			body_template, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (establishment_id) DO UPDATE SET url = excluded.url, username = excluded.username,
				password_sealed = excluded.password_sealed, sender = excluded.sender, body_template = excluded.body_template,
				active = excluded.active, updated_at = excluded.updated_at`,
			u.ID, in.URL, in.Username, sealed, in.Sender, in.BodyTemplate, in.Active, core.Millis(s.clock.Now())); err != nil {
			return fmt.Errorf("save SMS gateway: %w", err)
		}
		return s.log.Record(ctx, tx, actor, "sms_gateway.save", "unit", u.ID, "", map[string]any{"url": in.URL,
			"username": in.Username, "sender": in.Sender, "active": in.Active, "password_changed": in.Password != ""})
	})
	if err != nil {
		return Gateway{}, err
	}
	return s.gateway(ctx, s.db, u.ID)
}

// TestResult is what a test SMS gave: "" when the gateway accepted it,
// else what it answered (never the password).
type TestResult struct {
	Error string `json:"error"`
}

// SendTest sends a test SMS to the number to through the establishment's
// gateway at once (not through the outbox) and says what the gateway
// answered. Audited; requires admin and the establishment in scope.
func (s *Store) SendTest(ctx context.Context, actor *core.Actor, code, to, text string) (TestResult, error) {
	u, err := s.orgs.AdministeredEstablishment(ctx, actor, code)
	if err != nil {
		return TestResult{}, err
	}
	f := core.Fields{}
	to = strings.TrimSpace(to)
	if core.CheckText(f, "to", to, core.MaxCoordinate) {
		if e164, err := normalizePhone(to); err != nil {
			f.Add("to", core.Because("phone"))
		} else {
			to = e164
		}
	}
	core.CheckText(f, "text", text, core.MaxLongText)
	if err := f.Err(); err != nil {
		return TestResult{}, err
	}
	if strings.TrimSpace(text) == "" {
		text = "Rapport : SMS de test / test SMS"
	}
	g, err := s.gateway(ctx, s.db, u.ID)
	if err != nil {
		return TestResult{}, err
	}
	var out TestResult
	if err := s.post(ctx, g, "test:"+core.NewID(), to, text); err != nil {
		out.Error = err.Error()
	}
	return out, s.log.Record(ctx, s.db, actor, "sms_gateway.test", "unit", u.ID, "", map[string]any{"to": to, "error": out.Error})
}

// templateReason is why a body template is refused, its placeholders as
// parameters (a message cannot hold them as they are).
func templateReason() core.Reason {
	return core.Because("sms_template", "to", "{{to}}", "text", "{{text}}", "sender", "{{sender}}")
}
