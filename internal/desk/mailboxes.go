package desk

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
	"github.com/rapport-crm/rapport/internal/mail/smtpout"
)

// Securities are the ways to protect a mail server connection.
var Securities = []string{"tls", "starttls", "none"}

// IMAPSettings say where a mailbox's mail is fetched. Password is only
// written: reads leave it empty (HasPassword says whether one is set).
type IMAPSettings struct {
	Host        string `json:"host"`
	Port        int    `json:"port"`
	Security    string `json:"security"`
	Login       string `json:"login"`
	Password    string `json:"password,omitempty"`
	Folder      string `json:"folder"`
	HasPassword bool   `json:"has_password"`
}

// SMTPSettings say how a mailbox's mail is sent.
type SMTPSettings struct {
	Host        string `json:"host"`
	Port        int    `json:"port"`
	Security    string `json:"security"`
	Login       string `json:"login"`
	Password    string `json:"password,omitempty"`
	HasPassword bool   `json:"has_password"`
}

// Mailbox is a shared address of a unit whose mail becomes requests.
type Mailbox struct {
	ID         string       `json:"id"`
	UnitID     string       `json:"-"`
	UnitCode   string       `json:"unit_code"`
	UnitName   string       `json:"unit_name"`
	Address    string       `json:"address"`
	Name       string       `json:"name"`
	IMAP       IMAPSettings `json:"imap"`
	SMTP       SMTPSettings `json:"smtp"`
	Signature  string       `json:"signature"`
	AfterFetch string       `json:"after_fetch"` // "", "seen" or "move:<folder>"
	Active     bool         `json:"active"`
	SyncedAt   *time.Time   `json:"synced_at"`
	SyncError  string       `json:"sync_error"`

	imapPassword, smtpPassword string // sealed
	uidValidity, lastUID       int64
}

const mailboxColumns = `m.id, m.unit_id, u.code, u.name, m.address, m.name, m.imap_host, m.imap_port, m.imap_security,
	m.imap_login, m.imap_password, m.imap_folder, m.smtp_host, m.smtp_port, m.smtp_security, m.smtp_login,
	m.smtp_password, m.signature, m.after_fetch, m.active, m.synced_at, m.sync_error, m.uid_validity, m.last_uid`

func scanMailbox(row interface{ Scan(...any) error }) (Mailbox, error) {
	var m Mailbox
	var synced sql.NullInt64
	err := row.Scan(&m.ID, &m.UnitID, &m.UnitCode, &m.UnitName, &m.Address, &m.Name, &m.IMAP.Host, &m.IMAP.Port,
		&m.IMAP.Security, &m.IMAP.Login, &m.imapPassword, &m.IMAP.Folder, &m.SMTP.Host, &m.SMTP.Port, &m.SMTP.Security,
		&m.SMTP.Login, &m.smtpPassword, &m.Signature, &m.AfterFetch, &m.Active, &synced, &m.SyncError,
		&m.uidValidity, &m.lastUID)
	m.SyncedAt = timePtr(synced)
	m.IMAP.HasPassword, m.SMTP.HasPassword = m.imapPassword != "", m.smtpPassword != ""
	return m, err
}

// Mailboxes lists the mailboxes of the units in the actor's scope.
// Requires desk.admin.
func (s *Store) Mailboxes(ctx context.Context, actor *core.Actor) ([]Mailbox, error) {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return nil, err
	}
	cond, args := scopeCond("m.unit_id", actor.Scope)
	rows, err := s.db.Query(ctx, "SELECT "+mailboxColumns+" FROM desk_mailboxes m JOIN units u ON u.id = m.unit_id WHERE 1 = 1"+cond+" ORDER BY u.name, m.address", args...)
	if err != nil {
		return nil, fmt.Errorf("list mailboxes: %w", err)
	}
	defer rows.Close()
	out := []Mailbox{}
	for rows.Next() {
		m, err := scanMailbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Mailbox returns mailbox id when its unit is in the actor's scope.
// Requires desk.admin.
func (s *Store) Mailbox(ctx context.Context, actor *core.Actor, id string) (Mailbox, error) {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return Mailbox{}, err
	}
	m, err := s.mailbox(ctx, s.db, id)
	if err != nil || !actor.Scope.Contains(m.UnitID) {
		return Mailbox{}, core.Errorf(core.NotFound, "mailbox %s not found", id)
	}
	return m, nil
}

func (s *Store) mailbox(ctx context.Context, q db.Querier, id string) (Mailbox, error) {
	m, err := scanMailbox(q.QueryRow(ctx, "SELECT "+mailboxColumns+" FROM desk_mailboxes m JOIN units u ON u.id = m.unit_id WHERE m.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Mailbox{}, core.Errorf(core.NotFound, "mailbox %s not found", id)
	}
	if err != nil {
		return Mailbox{}, fmt.Errorf("mailbox %s: %w", id, err)
	}
	return m, nil
}

// mailboxForUnit returns the mailbox that sends a request's mail: the
// request's own, else an active one of its unit, else of the nearest unit
// above it.
func (s *Store) mailboxForUnit(ctx context.Context, q db.Querier, mailboxID, unitID string) (Mailbox, error) {
	if mailboxID != "" {
		return s.mailbox(ctx, q, mailboxID)
	}
	var id string
	err := q.QueryRow(ctx, `SELECT m.id FROM desk_mailboxes m JOIN units mu ON mu.id = m.unit_id JOIN units ru ON ru.id = ?
		WHERE m.active AND substr(ru.path, 1, length(mu.path)) = mu.path
		ORDER BY length(mu.path) DESC, m.created_at LIMIT 1`, unitID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Mailbox{}, core.Fields{"mailbox": core.Because("no_mailbox")}.Err()
	}
	if err != nil {
		return Mailbox{}, fmt.Errorf("mailbox of unit %s: %w", unitID, err)
	}
	return s.mailbox(ctx, q, id)
}

// SaveMailbox creates (ID empty) or changes a mailbox. An empty password
// keeps the one stored; passwords are sealed with the secret key and never
// read back. Requires desk.admin and the unit in scope.
func (s *Store) SaveMailbox(ctx context.Context, actor *core.Actor, in Mailbox) (Mailbox, error) {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return Mailbox{}, err
	}
	in.Address = strings.ToLower(strings.TrimSpace(in.Address))
	in.Name, in.IMAP.Host, in.SMTP.Host = strings.TrimSpace(in.Name), strings.TrimSpace(in.IMAP.Host), strings.TrimSpace(in.SMTP.Host)
	if in.IMAP.Folder == "" {
		in.IMAP.Folder = "INBOX"
	}
	f := core.Fields{}
	if a, err := mail.ParseAddress(in.Address); in.Address == "" || err != nil || a.Address != in.Address {
		f.Add("address", core.Because("email"))
	}
	core.CheckText(f, "address", in.Address, core.MaxCoordinate)
	if in.Name == "" {
		in.Name = in.Address
	}
	core.CheckText(f, "name", in.Name, core.MaxName)
	for _, t := range []struct {
		field, v string
		max      int
	}{{"imap.host", in.IMAP.Host, 255}, {"imap.login", in.IMAP.Login, core.MaxCoordinate},
		{"imap.password", in.IMAP.Password, core.MaxPassword}, {"imap.folder", in.IMAP.Folder, core.MaxName},
		{"smtp.host", in.SMTP.Host, 255}, {"smtp.login", in.SMTP.Login, core.MaxCoordinate},
		{"smtp.password", in.SMTP.Password, core.MaxPassword}, {"signature", in.Signature, core.MaxLongText},
		{"after_fetch", in.AfterFetch, core.MaxName}} {
		core.CheckText(f, t.field, t.v, t.max)
	}
	if in.IMAP.Host == "" {
		f.Add("imap.host", core.Required())
	}
	if in.SMTP.Host == "" {
		f.Add("smtp.host", core.Required())
	}
	core.CheckRange(f, "imap.port", int64(in.IMAP.Port), 1, 65535)
	core.CheckRange(f, "smtp.port", int64(in.SMTP.Port), 1, 65535)
	if !slices.Contains(Securities, in.IMAP.Security) {
		f.Add("imap.security", core.OneOf(Securities...))
	}
	if !slices.Contains(Securities, in.SMTP.Security) {
		f.Add("smtp.security", core.OneOf(Securities...))
	}
	if in.AfterFetch != "" && in.AfterFetch != "seen" && !strings.HasPrefix(in.AfterFetch, "move:") {
		f.Add("after_fetch", core.OneOf("", "seen", "move:<folder>"))
	}
	if in.UnitID == "" || !actor.Scope.Contains(in.UnitID) {
		f.Add("unit_code", core.Because("outside_scope"))
	}
	if err := f.Err(); err != nil {
		return Mailbox{}, err
	}
	imapSealed, err := s.key.Seal(in.IMAP.Password)
	if err != nil {
		return Mailbox{}, err
	}
	smtpSealed, err := s.key.Seal(in.SMTP.Password)
	if err != nil {
		return Mailbox{}, err
	}
	now := core.Millis(s.clock.Now())
	creating := in.ID == ""
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if creating {
			in.ID = core.NewID()
			_, err := tx.Exec(ctx, `INSERT INTO desk_mailboxes (id, unit_id, address, name, imap_host, imap_port, imap_security,
				imap_login, imap_password, imap_folder, smtp_host, smtp_port, smtp_security, smtp_login, smtp_password,
				signature, after_fetch, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				in.ID, in.UnitID, in.Address, in.Name, in.IMAP.Host, in.IMAP.Port, in.IMAP.Security, in.IMAP.Login, imapSealed,
				in.IMAP.Folder, in.SMTP.Host, in.SMTP.Port, in.SMTP.Security, in.SMTP.Login, smtpSealed, in.Signature,
				in.AfterFetch, true, now, now)
			if db.IsUniqueViolation(err) {
				return core.Fields{"address": core.Because("taken")}.Err()
			}
			if err != nil {
				return err
			}
		} else {
			old, err := s.mailbox(ctx, tx, in.ID)
			if err != nil || !actor.Scope.Contains(old.UnitID) {
				return core.Errorf(core.NotFound, "mailbox %s not found", in.ID)
			}
			if in.IMAP.Password == "" {
				imapSealed = old.imapPassword
			}
			if in.SMTP.Password == "" {
				smtpSealed = old.smtpPassword
			}
			_, err = tx.Exec(ctx, `UPDATE desk_mailboxes SET unit_id = ?, address = ?, name = ?, imap_host = ?, imap_port = ?,
				imap_security = ?, imap_login = ?, imap_password = ?, imap_folder = ?, smtp_host = ?, smtp_port = ?,
				smtp_security = ?, smtp_login = ?, smtp_password = ?, signature = ?, after_fetch = ?, active = ?, updated_at = ?
				WHERE id = ?`, in.UnitID, in.Address, in.Name, in.IMAP.Host, in.IMAP.Port, in.IMAP.Security, in.IMAP.Login,
				imapSealed, in.IMAP.Folder, in.SMTP.Host, in.SMTP.Port, in.SMTP.Security, in.SMTP.Login, smtpSealed,
				in.Signature, in.AfterFetch, in.Active, now, in.ID)
			if db.IsUniqueViolation(err) {
				return core.Fields{"address": core.Because("taken")}.Err()
			}
			if err != nil {
				return err
			}
		}
		action := "mailbox.update"
		if creating {
			action = "mailbox.create"
		}
		// The detail names what was set, never a password.
		return s.log.Record(ctx, tx, actor, action, "mailbox", in.ID, "", map[string]any{"address": in.Address,
			"imap": in.IMAP.Host, "smtp": in.SMTP.Host, "imap_password_changed": in.IMAP.Password != "",
			"smtp_password_changed": in.SMTP.Password != ""})
	})
	if err != nil {
		return Mailbox{}, err
	}
	return s.Mailbox(ctx, actor, in.ID)
}

// TLSConfig, when set, is the client TLS configuration of connections to
// mail servers (a test server's certificate authority).
func (s *Store) SetMailTLS(c *tls.Config) { s.mailTLS = c }

// imapConfig returns the mailbox's IMAP connection with its password opened.
func (s *Store) imapConfig(m Mailbox) (imapin.Config, error) {
	pw, err := s.key.Open(m.imapPassword)
	if err != nil {
		return imapin.Config{}, err
	}
	return imapin.Config{Host: m.IMAP.Host, Port: m.IMAP.Port, Security: imapin.Security(m.IMAP.Security),
		Login: m.IMAP.Login, Password: pw, Folder: m.IMAP.Folder, TLS: s.mailTLS}, nil
}

// smtpConfig returns the mailbox's SMTP connection with its password opened.
func (s *Store) smtpConfig(m Mailbox) (smtpout.Config, error) {
	pw, err := s.key.Open(m.smtpPassword)
	if err != nil {
		return smtpout.Config{}, err
	}
	return smtpout.Config{Host: m.SMTP.Host, Port: m.SMTP.Port, Security: smtpout.Security(m.SMTP.Security),
		Login: m.SMTP.Login, Password: pw, TLS: s.mailTLS}, nil
}

// ConnectionCheck is what testing a mailbox found: "" where the step
// worked, else what failed (never a password).
type ConnectionCheck struct {
	IMAP string `json:"imap"`
	SMTP string `json:"smtp"`
}

// TestMailbox connects to the mailbox's IMAP and SMTP servers and says
// what failed. Requires desk.admin.
func (s *Store) TestMailbox(ctx context.Context, actor *core.Actor, id string) (ConnectionCheck, error) {
	m, err := s.Mailbox(ctx, actor, id)
	if err != nil {
		return ConnectionCheck{}, err
	}
	var out ConnectionCheck
	if ic, err := s.imapConfig(m); err != nil {
		out.IMAP = err.Error()
	} else if err := imapin.Test(ctx, ic); err != nil {
		out.IMAP = core.ErrorMessage(err)
	}
	if sc, err := s.smtpConfig(m); err != nil {
		out.SMTP = err.Error()
	} else if err := smtpout.Test(ctx, sc); err != nil {
		out.SMTP = core.ErrorMessage(err)
	}
	return out, s.log.Record(ctx, s.db, actor, "mailbox.test", "mailbox", id, "", out)
}
