package leads

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/outbox"
)

// TopicAssigned is the live event an agent's open pages receive when a
// lead is assigned to them (static/lead-alerts.js shows it).
const TopicAssigned = "lead.assigned"

// SMSGateways says whether an establishment can send SMS: the alerts ask
// it inside the assignment's transaction (smsgw.Store implements it).
type SMSGateways interface {
	ActiveGateway(ctx context.Context, q db.Querier, establishmentID string) (bool, error)
}

// AlertDeps are what the alerts need besides the store.
type AlertDeps struct {
	BaseURL  string           // the application's address, for the lead's link (RAPPORT_BASE_URL)
	From     string           // the sender of alert emails (RAPPORT_MAIL_FROM)
	Books    *catalogue.Books // the products' labels; nil: their codes
	Gateways SMSGateways      // nil: no SMS alert
}

// Alerter alerts an agent when a lead is assigned to them, as they chose:
// a live event for the pop-up, sound and tab flash; an email; an SMS.
type Alerter struct {
	s *Store
	d AlertDeps
}

// SubscribeAlerts makes the store alert agents at every assignment (and
// only then) and returns the alerter.
func (s *Store) SubscribeAlerts(d AlertDeps) *Alerter {
	a := &Alerter{s: s, d: d}
	s.OnAssigned.Subscribe(a.Assigned)
	return a
}

// alertEvent is the data of a lead.assigned event.
type alertEvent struct {
	ID         string    `json:"id"`
	URL        string    `json:"url"`
	Name       string    `json:"name"`
	Product    string    `json:"product"`
	Source     string    `json:"source"`
	ReceivedAt time.Time `json:"received_at"`
	Popup      bool      `json:"popup"`
	Sound      bool      `json:"sound"`
	Flash      bool      `json:"flash"`
}

// Assigned is the subscriber of Store.OnAssigned: inside the assignment's
// transaction it publishes the live event (when the agent chose a pop-up,
// a sound or the flash) and queues the email and the SMS they chose. An
// assignment to the agent who already had the lead alerts nobody. The
// messages' keys name the lead, the agent and the assignment's time, so a
// transaction retried queues each once.
func (a *Alerter) Assigned(ctx context.Context, tx *db.Tx, as Assigned) error {
	if as.AgentID == "" || as.AgentID == as.Previous {
		return nil
	}
	st, err := agentAlerts(ctx, tx, as.AgentID)
	if err != nil {
		return err
	}
	var lang, tz, unitName string
	if err := tx.QueryRow(ctx, `SELECT a.locale, u.time_zone, u.name FROM agents a, units u WHERE a.id = ? AND u.id = ?`,
		as.AgentID, as.Lead.UnitID).Scan(&lang, &tz, &unitName); err != nil {
		return fmt.Errorf("alert of lead %s: %w", as.Lead.ID, err)
	}
	l := as.Lead
	if l.UnitName == "" {
		l.UnitName = unitName
	}
	product := a.productLabel(ctx, tx, l, lang)
	at := strconv.FormatInt(core.Millis(alertTime(l, a.s.clock.Now())), 10)
	if (st.Popup || st.Sound || st.Flash) && a.s.bus != nil {
		data, err := json.Marshal(alertEvent{ID: l.ID, URL: "/leads/" + l.ID, Name: customerName(l), Product: product,
			Source: l.Source, ReceivedAt: l.ReceivedAt, Popup: st.Popup, Sound: st.Sound, Flash: st.Flash})
		if err != nil {
			return err
		}
		if err := a.s.bus.PublishTx(ctx, tx, events.Event{Topic: TopicAssigned,
			Audience: []string{events.Agent(as.AgentID)}, Data: data}); err != nil {
			return fmt.Errorf("alert of lead %s: %w", l.ID, err)
		}
	}
	if a.s.outbox == nil {
		return nil // a tool without an outbox sends nothing
	}
	if st.Email && st.EmailTo != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			loc = time.UTC
		}
		subject, text := AlertEmail(l, lang, product, loc, a.d.BaseURL)
		if _, err := a.s.outbox.Enqueue(ctx, tx, outbox.Message{Key: "lead-alert:" + l.ID + ":" + as.AgentID + ":" + at,
			Email: &outbox.Email{From: a.d.From, To: []string{st.EmailTo}, Subject: subject, Text: text}}); err != nil {
			return fmt.Errorf("alert email of lead %s: %w", l.ID, err)
		}
	}
	if st.SMS && st.Mobile != "" && a.d.Gateways != nil {
		ok, err := a.d.Gateways.ActiveGateway(ctx, tx, l.EstablishmentID)
		if err != nil {
			return err
		}
		if ok {
			if _, err := a.s.outbox.Enqueue(ctx, tx, outbox.Message{Key: "lead-alert-sms:" + l.ID + ":" + as.AgentID + ":" + at,
				SMS: &outbox.SMS{To: st.Mobile, Text: AlertSMS(l, lang, product, a.d.BaseURL),
					Establishment: l.EstablishmentID}}); err != nil {
				return fmt.Errorf("alert SMS of lead %s: %w", l.ID, err)
			}
		}
	}
	return nil
}

// productLabel is the lead's product in lang, from its establishment's
// catalogue; the code when it has no label.
func (a *Alerter) productLabel(ctx context.Context, q db.Querier, l Lead, lang string) string {
	if a.d.Books == nil || l.Product == "" {
		return l.Product
	}
	book, err := a.d.Books.ForUnit(ctx, q, l.UnitID)
	if err != nil || book == nil {
		return l.Product
	}
	return book.Label(catalogue.Products, l.Product, lang)
}
