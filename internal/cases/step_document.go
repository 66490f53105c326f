package cases

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/letter"
	"github.com/rapport-crm/rapport/internal/party"
)

// placeholder is {{name}} in a document template, spaces allowed inside.
var placeholder = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_.]+)\s*\}\}`)

// Fill replaces the placeholders of a document template with data's
// values: {{party.name}}, {{party.address}}, {{case.reference}},
// {{case.title}}, {{agent.name}}, {{unit.name}}, {{today}} and
// {{field.CODE}} (a step's field). An unknown placeholder is left empty.
// Values are plain text, put as they are.
func Fill(tmpl string, data map[string]string) string {
	return placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		return data[placeholder.FindStringSubmatch(m)[1]]
	})
}

// pendingDocument is a step's document made ready before the step's
// transaction; write adds it to the case within it.
type pendingDocument struct {
	write func(ctx context.Context, tx *db.Tx) (Element, error)
}

// recipient is what a step's document needs of the case's party.
type recipient struct {
	name    string
	address []string // the first postal address's lines, empty without one
	email   string   // the favourite address, else the first
}

// prepareDocument makes the document of step ready, nil when the step
// generates none: its subject and body filled in, a letter rendered and
// put in the file store (a file no element holds is collected later).
// A case without a party, a letter without a postal address and an
// email without an address are field errors.
func (s *Store) prepareDocument(ctx context.Context, actor *core.Actor, h caseHead, step Step, values map[string]string, lang string) (*pendingDocument, error) {
	doc := step.Document
	if doc == nil {
		return nil, nil
	}
	if h.PartyID == "" {
		return nil, core.Fields{"party_id": core.Because("no_interlocutor")}.Err()
	}
	to, err := s.recipientOf(ctx, h.PartyID)
	if err != nil {
		return nil, err
	}
	unit, err := s.orgs.UnitByID(ctx, h.UnitID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	today := now
	if loc, err := time.LoadLocation(unit.TimeZone); err == nil {
		today = now.In(loc)
	}
	data := map[string]string{
		"party.name":     to.name,
		"party.address":  strings.Join(to.address, "\n"),
		"case.reference": h.Reference,
		"case.title":     h.Title,
		"agent.name":     actor.Name,
		"unit.name":      unit.Name,
		"today":          letter.FormatDate(today, lang),
	}
	for _, code := range slices.Sorted(maps.Keys(h.StepData)) {
		for k, v := range h.StepData[code] {
			data["field."+k] = v
		}
	}
	for k, v := range values {
		data["field."+k] = v
	}
	subject := strings.Join(strings.Fields(Fill(doc.Subject, data)), " ")
	body := Fill(doc.Body, data)
	f := core.Fields{}
	core.CheckText(f, "document.subject", subject, core.MaxSubject)
	core.CheckText(f, "document.body", body, core.MaxBody)
	if err := f.Err(); err != nil {
		return nil, err
	}
	agent := &AgentRef{ID: actor.AgentID, Login: actor.Login, Name: actor.Name}
	switch doc.Kind {
	case DocumentLetter:
		if len(to.address) == 0 {
			return nil, core.Fields{"party_id": core.Because("no_postal_address")}.Err()
		}
		sender := []string{unit.Name}
		if h.EstablishmentID != unit.ID {
			if est, err := s.orgs.UnitByID(ctx, h.EstablishmentID); err == nil {
				sender = []string{est.Name, unit.Name}
			}
		}
		pdf, err := letter.Render(letter.Letter{Sender: sender, Recipient: append([]string{to.name}, to.address...),
			Place: unit.Name, Date: data["today"], Reference: h.Reference, Subject: subject, Body: body,
			Signature: []string{actor.Name, unit.Name}, Lang: lang, Created: now})
		if err != nil {
			return nil, err
		}
		info, err := s.files.Put(ctx, bytes.NewReader(pdf))
		if err != nil {
			return nil, fmt.Errorf("store letter: %w", err)
		}
		el := Element{Kind: ElementLetter, Title: subject, Body: body, FileHash: info.Hash,
			FileName: h.Reference + "-" + step.Code + ".pdf", ContentType: "application/pdf", Size: info.Size,
			Step: step.Code, Agent: agent, CreatedAt: now}
		return &pendingDocument{write: func(ctx context.Context, tx *db.Tx) (Element, error) {
			out := el
			id, err := s.addElement(ctx, tx, actor, h.ID, out)
			out.ID = id
			return out, err
		}}, nil
	case DocumentEmail:
		if to.email == "" {
			return nil, core.Fields{"to": core.Because("no_customer_email")}.Err()
		}
		if s.desk == nil {
			return nil, core.Errorf(core.Internal, "no desk to send case emails through")
		}
		el := Element{Kind: ElementEmail, Title: subject, Body: body, Step: step.Code, Agent: agent, CreatedAt: now}
		return &pendingDocument{write: func(ctx context.Context, tx *db.Tx) (Element, error) {
			req, err := s.desk.OpenOutboundTx(ctx, tx, actor, desk.NewOutbound{UnitID: h.UnitID, PartyID: h.PartyID,
				Name: to.name, To: to.email, Subject: subject, Body: body})
			if err != nil {
				return Element{}, err
			}
			out := el
			out.RefID = req.ID
			out.ID, err = s.addElement(ctx, tx, actor, h.ID, out)
			return out, err
		}}, nil
	}
	return nil, core.Errorf(core.Invalid, "unknown document kind %q", doc.Kind)
}

// recipientOf reads the party's name, first postal address and email.
func (s *Store) recipientOf(ctx context.Context, partyID string) (recipient, error) {
	var r recipient
	var kind, first, last, name string
	err := s.db.QueryRow(ctx, "SELECT kind, first_name, last_name, name FROM parties WHERE id = ?", partyID).
		Scan(&kind, &first, &last, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return r, core.Fields{"party_id": core.Because("party_not_found")}.Err()
	}
	if err != nil {
		return r, fmt.Errorf("read party %s: %w", partyID, err)
	}
	r.name = party.DisplayName(kind, first, last, name)
	var line1, line2, postal, city, country string
	err = s.db.QueryRow(ctx, `SELECT line1, line2, postal_code, city, country FROM party_addresses
		WHERE party_id = ? ORDER BY id LIMIT 1`, partyID).Scan(&line1, &line2, &postal, &city, &country)
	switch {
	case err == nil:
		r.address = addressLines(line1, line2, postal, city, country)
	case !errors.Is(err, sql.ErrNoRows):
		return r, fmt.Errorf("read address of %s: %w", partyID, err)
	}
	err = s.db.QueryRow(ctx, "SELECT address FROM party_emails WHERE party_id = ? ORDER BY favorite DESC, id LIMIT 1", partyID).
		Scan(&r.email)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("read email of %s: %w", partyID, err)
	}
	return r, nil
}

// addressLines writes a postal address as an envelope shows it; the
// country only when abroad.
func addressLines(line1, line2, postal, city, country string) []string {
	var out []string
	for _, l := range []string{line1, line2, strings.TrimSpace(postal + " " + strings.ToUpper(city))} {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	if country = strings.TrimSpace(country); country != "" && !strings.EqualFold(country, "FR") {
		out = append(out, strings.ToUpper(country))
	}
	return out
}
