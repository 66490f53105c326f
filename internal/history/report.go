package history

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
)

// The statuses of a meeting report.
const (
	Reconciled = "reconciled" // attached to the captured exchange it describes
	Orphan     = "orphan"     // matched nothing: an interaction of its own
)

// MaxComment is the longest comment a report may hold, in characters.
const MaxComment = core.MaxComment

// reportWindowBefore is how far before a report the exchange it describes
// may have happened.
const reportWindowBefore = 7 * 24 * time.Hour

// ReportSource is the source of the interactions orphan reports create.
const ReportSource = "report"

// Sale is a sale or opportunity a report records, its amount in minor
// units of its currency (EUR by default).
type Sale struct {
	Product string `json:"product"`
	core.Money
}

// ReportInput is a meeting report as its author writes it.
type ReportInput struct {
	PartyID    string     `json:"party_id" maxLength:"100"`
	Agent      string     `json:"agent,omitempty" maxLength:"100"` // login; the author by default
	Medium     string     `json:"medium"`
	Initiative string     `json:"initiative"` // inbound: the customer's; outbound: the agent's or the bank's
	Reason     string     `json:"reason"`
	Comment    string     `json:"comment" maxLength:"5000"`
	Sales      []Sale     `json:"sales,omitempty"`
	WrittenAt  *time.Time `json:"written_at,omitempty"` // now by default
}

// ReportFix corrects a report: a new medium or initiative reconciles it
// again. Version is the version read, to refuse a stale correction.
type ReportFix struct {
	Medium     string `json:"medium"`
	Initiative string `json:"initiative"`
	Reason     string `json:"reason"`
	Comment    string `json:"comment" maxLength:"5000"`
	Sales      []Sale `json:"sales,omitempty"`
	Version    int    `json:"version"`
}

// Report is a meeting report (CRE) and where it stands.
type Report struct {
	ID            string       `json:"id"`
	PartyID       string       `json:"party_id"`
	PartyName     string       `json:"party_name"`
	Agent         AgentRef     `json:"agent"`
	Medium        string       `json:"medium"`
	Initiative    string       `json:"initiative"`
	Reason        string       `json:"reason"`
	Comment       string       `json:"comment"`
	Sales         []Sale       `json:"sales"`
	WrittenAt     time.Time    `json:"written_at"`
	Status        string       `json:"status"`
	InteractionID string       `json:"interaction_id,omitempty"`
	Suggestions   []Suggestion `json:"suggestions"`
	Version       int          `json:"version"`
	agentID       string
	unitID        string
}

// Suggestion is an exchange an orphan report probably meant: same party
// and agent, another medium or initiative, within the 7 days before.
type Suggestion struct {
	InteractionID string    `json:"interaction_id"`
	Channel       string    `json:"channel"`
	Direction     string    `json:"direction"`
	Outcome       string    `json:"outcome,omitempty"` // calls: answered, unanswered, voicemail
	OccurredAt    time.Time `json:"occurred_at"`
	Subject       string    `json:"subject,omitempty"`
}

// checkReport validates what a report says; the error names every bad field.
func checkReport(f core.Fields, book *catalogue.Book, medium, initiative, reason, comment string, sales []Sale) {
	if !slices.Contains(Media, medium) {
		f.Add("medium", core.OneOf(Media...))
	}
	if initiative != DirectionInbound && initiative != DirectionOutbound {
		f.Add("initiative", core.OneOf(DirectionInbound, DirectionOutbound))
	}
	if !book.IsActive(catalogue.ReportReasons, reason) {
		f.Add("reason", core.OneOf(book.Codes(catalogue.ReportReasons)...))
	}
	core.CheckText(f, "comment", comment, MaxComment)
	core.CheckText(f, "medium", medium, core.MaxCode)
	core.CheckText(f, "initiative", initiative, core.MaxCode)
	core.CheckText(f, "reason", reason, core.MaxCode)
	if n := utf8.RuneCountInString(comment); n > MaxComment {
		f.Add("comment", core.TooLong(MaxComment))
	}
	for i, s := range sales {
		if !book.IsActive(catalogue.Products, s.Product) {
			f.Add(fmt.Sprintf("sales[%d].product", i), core.Because("unknown_product"))
		}
		if s.Minor < 0 {
			f.Add(fmt.Sprintf("sales[%d].amount_minor", i), core.Because("not_negative"))
		}
		if s.Currency != "" && !core.ValidCurrency(s.Currency) {
			f.Add(fmt.Sprintf("sales[%d].currency", i), core.Because("currency"))
		}
	}
}
