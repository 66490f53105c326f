package desk

import (
	"crypto/tls"
	"log/slog"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/blob"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/jobs"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/secret"
)

// The channels a request arrives by.
const (
	ChannelEmail   = "email"
	ChannelWebForm = "web_form"
	ChannelPhone   = "phone"
	ChannelChat    = "chat"
)

// Channels lists them in display order.
var Channels = []string{ChannelEmail, ChannelWebForm, ChannelPhone, ChannelChat}

// The statuses of a request, in their usual order.
const (
	StatusNew     = "new"
	StatusOpen    = "open"
	StatusWaiting = "waiting"
	StatusClosed  = "closed"
)

// Statuses lists them in order.
var Statuses = []string{StatusNew, StatusOpen, StatusWaiting, StatusClosed}

// The priorities; low is the default.
const (
	PriorityLow    = "low"
	PriorityMedium = "medium"
	PriorityHigh   = "high"
)

// Priorities lists them from low to high.
var Priorities = []string{PriorityLow, PriorityMedium, PriorityHigh}

// The kinds of messages in a request's thread.
const (
	KindInbound  = "inbound"
	KindOutbound = "outbound"
	KindNote     = "note"
)

// The delivery statuses of an outbound message.
const (
	SendQueued  = "queued"
	SendSending = "sending"
	SendSent    = "sent"
	SendFailed  = "failed"
	SendBounced = "bounced"
)

// Message flags.
const (
	FlagUnexpectedSender = "unexpected_sender" // a reply from someone neither the customer nor solicited
	FlagUnparsed         = "unparsed"          // the mail did not parse: its raw text is shown
	FlagAutomatic        = "automatic"         // an auto-reply that joined a thread
	FlagUnread           = "unread"            // an inbound message nobody has read yet
)

// Agent is an agent as a request shows them.
type Agent struct {
	ID       string `json:"-"`
	Login    string `json:"login"`
	Name     string `json:"name"`
	Initials string `json:"initials"`
}

// Request is a customer's request with what the lists show of it.
type Request struct {
	ID               string     `json:"id"`
	Reference        string     `json:"reference"`
	UnitID           string     `json:"-"`
	UnitName         string     `json:"-"`
	MailboxID        string     `json:"-"`
	FormID           string     `json:"-"`
	Channel          string     `json:"channel"`
	Status           string     `json:"status"`
	Priority         string     `json:"priority"`
	Reason           string     `json:"reason"`
	Subject          string     `json:"subject"`
	PartyID          string     `json:"party_id"`
	PartyName        string     `json:"-"`
	CustomerName     string     `json:"customer_name"`
	CustomerEmail    string     `json:"customer_email"`
	CustomerPhone    string     `json:"customer_phone"`
	Assignee         *Agent     `json:"assignee"`
	Unread           int        `json:"unread"`
	Flags            []string   `json:"flags"`
	PreviousID       string     `json:"previous_id"`
	FirstResponseDue *time.Time `json:"first_response_due"`
	FirstResponseAt  *time.Time `json:"first_response_at"`
	ResolutionDue    *time.Time `json:"resolution_due"`
	ClosedAt         *time.Time `json:"closed_at"`
	CreatedAt        time.Time  `json:"created_at"`
	LastMessageAt    time.Time  `json:"last_message_at"`
	UpdatedAt        time.Time  `json:"-"`
}

// Breached reports whether a target of the request was missed at now: the
// first response is late (or came late), or it is still open past its
// resolution time.
func (r Request) Breached(now time.Time) (firstResponse, resolution bool) {
	if r.FirstResponseDue != nil {
		done := r.FirstResponseAt
		firstResponse = (done == nil && now.After(*r.FirstResponseDue)) || (done != nil && done.After(*r.FirstResponseDue))
	}
	if r.ResolutionDue != nil {
		end := now
		if r.ClosedAt != nil {
			end = *r.ClosedAt
		}
		resolution = end.After(*r.ResolutionDue)
	}
	return firstResponse, resolution
}

// File is an attachment or inline image of a message.
type File struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	ContentID   string `json:"content_id,omitempty"`
	Inline      bool   `json:"inline"`
	Size        int64  `json:"size"`
	Hash        string `json:"-"`
}

// Message is one entry of a request's thread: inbound or outbound mail, or
// an internal note.
type Message struct {
	ID             string     `json:"id"`
	RequestID      string     `json:"request_id"`
	SolicitationID string     `json:"solicitation_id,omitempty"`
	Kind           string     `json:"kind"`
	MessageID      string     `json:"-"`
	FromName       string     `json:"from_name"`
	FromEmail      string     `json:"from_email"`
	To             []string   `json:"to"`
	Cc             []string   `json:"cc"`
	Subject        string     `json:"subject"`
	Text           string     `json:"text"`
	HTML           string     `json:"html"`
	Agent          *Agent     `json:"agent"`
	Status         string     `json:"status,omitempty"`
	StatusDetail   string     `json:"status_detail,omitempty"`
	Flags          []string   `json:"flags"`
	RawHash        string     `json:"-"`
	Files          []File     `json:"files"`
	CreatedAt      time.Time  `json:"created_at"`
	SentAt         *time.Time `json:"sent_at"`
}

// Solicitation is a thread with an outside person or service about a request.
type Solicitation struct {
	ID        string    `json:"id"`
	RequestID string    `json:"request_id"`
	Recipient string    `json:"recipient"`
	Subject   string    `json:"subject"`
	CreatedBy *Agent    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Event is a change of a request other than a message.
type Event struct {
	ID    string    `json:"id"`
	At    time.Time `json:"at"`
	Agent *Agent    `json:"agent"`
	Kind  string    `json:"kind"` // created, status, assign, subject, reason, priority, party, reopened, followed_up
	Old   string    `json:"old"`
	New   string    `json:"new"`
}

// Store keeps the desk.
type Store struct {
	db      *db.DB
	clock   core.Clock
	log     *audit.Log
	orgs    *org.Store
	parties *party.Store
	files   blob.Store
	jobs    *jobs.Runner
	bus     *events.Bus
	key     *secret.Key
	books   *catalogue.Books
	logger  *slog.Logger
	mailTLS *tls.Config // SetMailTLS
	history Ingester    // copies linked requests' mail to the timeline (SetHistory)
	// Domain names the Message-IDs of mail sent without a mailbox (web
	// form acknowledgements fall back to it); "rapport.invalid" when empty.
	Domain string
	// OnReplySent is told, inside the transaction recording it sent, of
	// each reply to the customer on a request associated with a lead (the
	// leads record it as an activity; lead_hooks.go).
	OnReplySent core.Subscribers[ReplyHook]
	// OnClosed is told, inside the transaction closing it, of each request
	// closed (the satisfaction surveys; close_hooks.go).
	OnClosed core.Subscribers[CloseHook]
}

// Deps are what the desk store needs from the rest of the application.
type Deps struct {
	DB      *db.DB
	Clock   core.Clock
	Audit   *audit.Log
	Orgs    *org.Store
	Parties *party.Store
	Files   blob.Store
	Jobs    *jobs.Runner
	Events  *events.Bus
	Key     *secret.Key
	Books   *catalogue.Books
	Logger  *slog.Logger
}

// NewStore returns the desk store and registers its jobs (sending mail,
// copying messages to the history) with d.Jobs.
func NewStore(d Deps) *Store {
	s := &Store{db: d.DB, clock: d.Clock, log: d.Audit, orgs: d.Orgs, parties: d.Parties, files: d.Files,
		jobs: d.Jobs, bus: d.Events, key: d.Key, books: d.Books, logger: d.Logger}
	if s.books == nil {
		s.books = &catalogue.Books{}
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if d.Jobs != nil {
		d.Jobs.Handle(jobSend, s.runSend)
	}
	return s
}
