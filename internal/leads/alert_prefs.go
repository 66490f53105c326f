package leads

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// AlertChoices are the ways an agent is alerted when a lead is assigned to
// them; they choose them on their profile.
type AlertChoices struct {
	Popup bool `json:"popup"` // a pop-up on their open pages
	Sound bool `json:"sound"` // a short beep with it
	Flash bool `json:"flash"` // the browser tab's title flashes until they look
	Email bool `json:"email"` // an email with the lead's details and its link
	SMS   bool `json:"sms"`   // a text message to their mobile
}

// DefaultAlertChoices are an agent's choices until they save their own:
// the pop-up and the tab's flash.
var DefaultAlertChoices = AlertChoices{Popup: true, Flash: true}

// AlertContacts are where an agent's email and SMS alerts go, set by an
// administrator: a personal address the email goes to instead of the work
// one, and a mobile number (E.164).
type AlertContacts struct {
	ForwardEmail string `json:"forward_email"`
	Mobile       string `json:"mobile"`
}

// AlertSettings are an agent's choices with where the alerts go.
type AlertSettings struct {
	AlertChoices
	AlertContacts
	WorkEmail string `json:"work_email"` // the agent's own address
	EmailTo   string `json:"email_to"`   // where an email alert goes: the forward address, else the work one; "" none
}

// emailTo is where an email alert goes: the forward address when set,
// else the agent's work email.
func emailTo(forward, work string) string {
	if forward != "" {
		return forward
	}
	return work
}

// agentAlerts reads the choices and contacts of agentID (the defaults
// without a row) with the agent's work email, through q.
func agentAlerts(ctx context.Context, q db.Querier, agentID string) (AlertSettings, error) {
	var st AlertSettings
	var popup, sound, flash, email, sms sql.NullBool
	var forward, mobile sql.NullString
	err := q.QueryRow(ctx, `SELECT a.email, l.popup, l.sound, l.flash, l.email, l.sms, l.forward_email, l.mobile
		FROM agents a LEFT JOIN agent_lead_alerts l ON l.agent_id = a.id WHERE a.id = ?`, agentID).
		Scan(&st.WorkEmail, &popup, &sound, &flash, &email, &sms, &forward, &mobile)
	if errors.Is(err, sql.ErrNoRows) {
		return st, core.Errorf(core.NotFound, "agent %s not found", agentID)
	}
	if err != nil {
		return st, fmt.Errorf("alert choices of %s: %w", agentID, err)
	}
	st.AlertChoices = DefaultAlertChoices
	if popup.Valid {
		st.AlertChoices = AlertChoices{Popup: popup.Bool, Sound: sound.Bool, Flash: flash.Bool, Email: email.Bool, SMS: sms.Bool}
	}
	st.ForwardEmail, st.Mobile = forward.String, mobile.String
	st.EmailTo = emailTo(st.ForwardEmail, st.WorkEmail)
	return st, nil
}

// MyAlerts returns the signed-in agent's alert choices. Requires lead.work.
func (s *Store) MyAlerts(ctx context.Context, actor *core.Actor) (AlertSettings, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return AlertSettings{}, err
	}
	if actor.AgentID == "" {
		return AlertSettings{}, core.Errorf(core.Forbidden, "only an agent has alert choices")
	}
	return agentAlerts(ctx, s.db, actor.AgentID)
}

// SaveMyAlerts saves the signed-in agent's alert choices. Email needs an
// address (their own or the one an administrator set) and SMS a mobile
// number, else the choice is refused with the reasons alert_needs_email
// and alert_needs_mobile. Audited; requires lead.work.
func (s *Store) SaveMyAlerts(ctx context.Context, actor *core.Actor, c AlertChoices) (AlertSettings, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return AlertSettings{}, err
	}
	if actor.AgentID == "" {
		return AlertSettings{}, core.Errorf(core.Forbidden, "only an agent has alert choices")
	}
	var out AlertSettings
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		old, err := agentAlerts(ctx, tx, actor.AgentID)
		if err != nil {
			return err
		}
		f := core.Fields{}
		if c.Email && old.EmailTo == "" {
			f.Add("email", core.Because("alert_needs_email"))
		}
		if c.SMS && old.Mobile == "" {
			f.Add("sms", core.Because("alert_needs_mobile"))
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := s.upsertAlerts(ctx, tx, actor.AgentID, c, old.AlertContacts); err != nil {
			return err
		}
		if err := s.log.Record(ctx, tx, actor, "lead_alerts.update", "agent", actor.AgentID, "",
			map[string]any{"before": old.AlertChoices, "after": c}); err != nil {
			return err
		}
		out = old
		out.AlertChoices = c
		return nil
	})
	return out, err
}

// AgentAlerts returns the alert choices and contacts of the agent with
// login. Requires admin.
func (s *Store) AgentAlerts(ctx context.Context, actor *core.Actor, login string) (AlertSettings, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return AlertSettings{}, err
	}
	a, err := s.orgs.Agent(ctx, actor, login)
	if err != nil {
		return AlertSettings{}, err
	}
	return agentAlerts(ctx, s.db, a.ID)
}

// CheckAlertContacts normalises c (the mobile in E.164, the address in
// lower case) and says which field is wrong.
func CheckAlertContacts(c AlertContacts) (AlertContacts, error) {
	f := core.Fields{}
	c.ForwardEmail = strings.TrimSpace(c.ForwardEmail)
	c.Mobile = strings.TrimSpace(c.Mobile)
	if core.CheckText(f, "forward_email", c.ForwardEmail, core.MaxCoordinate) && c.ForwardEmail != "" {
		if a, err := mail.ParseAddress(c.ForwardEmail); err != nil || a.Address != c.ForwardEmail || a.Name != "" {
			f.Add("forward_email", core.Because("email"))
		} else {
			c.ForwardEmail = strings.ToLower(c.ForwardEmail)
		}
	}
	if core.CheckText(f, "mobile", c.Mobile, core.MaxCoordinate) && c.Mobile != "" {
		e164, err := party.NormalizePhone(c.Mobile)
		if err != nil {
			f.Add("mobile", core.Because("phone"))
		}
		c.Mobile = e164
	}
	return c, f.Err()
}

// SaveAgentAlertContacts sets where the email and SMS alerts of the agent
// with login go (a personal address, a mobile number); "" clears one.
// The agent's choices stay as they are. Audited; requires admin.
func (s *Store) SaveAgentAlertContacts(ctx context.Context, actor *core.Actor, login string, c AlertContacts) (AlertSettings, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return AlertSettings{}, err
	}
	c, err := CheckAlertContacts(c)
	if err != nil {
		return AlertSettings{}, err
	}
	a, err := s.orgs.Agent(ctx, actor, login)
	if err != nil {
		return AlertSettings{}, err
	}
	var out AlertSettings
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		old, err := agentAlerts(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if err := s.upsertAlerts(ctx, tx, a.ID, old.AlertChoices, c); err != nil {
			return err
		}
		if err := s.log.Record(ctx, tx, actor, "lead_alerts.contacts", "agent", a.ID, "",
			map[string]any{"before": old.AlertContacts, "after": c}); err != nil {
			return err
		}
		out = old
		out.AlertContacts = c
		out.EmailTo = emailTo(c.ForwardEmail, old.WorkEmail)
		return nil
	})
	return out, err
}

func (s *Store) upsertAlerts(ctx context.Context, tx *db.Tx, agentID string, c AlertChoices, k AlertContacts) error {
	_, err := tx.Exec(ctx, `INSERT INTO agent_lead_alerts (agent_id, popup, sound, flash, email, sms, forward_email, mobile, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (agent_id) DO UPDATE SET popup = excluded.popup, sound = excluded.sound, flash = excluded.flash,
			email = excluded.email, sms = excluded.sms, forward_email = excluded.forward_email, mobile = excluded.mobile,
			updated_at = excluded.updated_at`,
		agentID, c.Popup, c.Sound, c.Flash, c.Email, c.SMS, k.ForwardEmail, k.Mobile, core.Millis(s.clock.Now()))
	if err != nil {
		return fmt.Errorf("save alert choices: %w", err)
	}
	return nil
}

// alertTime is when an assignment happened, for its alerts' dedupe keys.
func alertTime(l Lead, now time.Time) time.Time {
	if l.AssignedAt != nil {
		return *l.AssignedAt
	}
	return now
}
