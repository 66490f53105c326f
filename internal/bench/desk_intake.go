package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/mail"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
)

// intakeFigure is a rate of the mail intake: messages per second through
// one step, or the whole of it.
type intakeFigure struct {
	Figure    string  `json:"figure"`
	Messages  int     `json:"messages"`
	MB        float64 `json:"mb"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"messages_per_second"`
	Requests  int     `json:"requests,omitempty"` // requests the intake opened
}

// intakeAddress is the bench mailbox.
const intakeAddress = "desk@bench.example"

// timeIntake fills a mailbox of the in-process mail server with n
// customers' messages and times, on the same messages: mail.Parse alone,
// imapin.Sync alone (fetching, nothing stored), and imapin.Sync with
// desk.Store.Intake as its commit (fetched, parsed, stored raw, threaded,
// a request opened for each), as a mailbox's watcher runs it.
func timeIntake(ctx context.Context, a *app.App, admin *core.Actor, unitID string, n int, logger *slog.Logger) ([]intakeFigure, error) {
	srv, err := devmail.Start(devmail.Options{Password: "bench"})
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	raws := make([][]byte, n)
	size := 0
	now := time.Now()
	for i := range n {
		if raws[i], err = customerMail(i, now); err != nil {
			return nil, err
		}
		size += len(raws[i])
	}
	if err := devmail.Fill(srv, intakeAddress, n, func(i int) []byte { return raws[i] }); err != nil {
		return nil, err
	}
	mb := round(float64(size) / (1 << 20))
	rate := func(figure string, spent time.Duration) intakeFigure {
		return intakeFigure{Figure: figure, Messages: n, MB: mb, Seconds: round(spent.Seconds()),
			PerSecond: round(float64(n) / spent.Seconds())}
	}

	t := time.Now()
	for _, raw := range raws {
		mail.Parse(raw)
	}
	out := []intakeFigure{rate("mail_parse", time.Since(t))}

	host, port, err := net.SplitHostPort(srv.IMAPAddr())
	if err != nil {
		return nil, err
	}
	p, _ := strconv.Atoi(port)
	cfg := imapin.Config{Host: host, Port: p, Security: imapin.Security("none"), Login: intakeAddress, Password: "bench"}
	fetched := 0
	t = time.Now()
	if _, err := imapin.Sync(ctx, cfg, imapin.State{}, func(context.Context, imapin.Message) error { fetched++; return nil },
		imapin.AfterCommit{}); err != nil {
		return nil, fmt.Errorf("fetch only: %w", err)
	}
	out = append(out, rate("imap_fetch", time.Since(t)))
	if fetched != n {
		return nil, fmt.Errorf("fetched %d messages, want %d", fetched, n)
	}

	box, err := a.Desk.SaveMailbox(ctx, admin, desk.Mailbox{UnitID: unitID, Address: intakeAddress,
		IMAP: desk.IMAPSettings{Host: host, Port: p, Security: "none", Login: intakeAddress, Password: "bench"},
		SMTP: desk.SMTPSettings{Host: host, Port: 25, Security: "none"}})
	if err != nil {
		return nil, err
	}
	logger.Info("bench: intake through the desk", "messages", n)
	t = time.Now()
	if _, err := imapin.Sync(ctx, cfg, imapin.State{}, func(ctx context.Context, m imapin.Message) error {
		return a.Desk.Intake(ctx, box.ID, m)
	}, imapin.AfterCommit{}); err != nil {
		return nil, fmt.Errorf("intake: %w", err)
	}
	f := rate("desk_intake", time.Since(t))
	if err := a.DB.QueryRow(ctx, "SELECT COUNT(*) FROM desk_requests WHERE mailbox_id = ?", box.ID).Scan(&f.Requests); err != nil {
		return nil, err
	}
	if f.Requests != n {
		return nil, fmt.Errorf("the intake opened %d requests for %d messages", f.Requests, n)
	}
	return append(out, f), nil
}

// customerMail is the i-th customer's message: text and HTML, one in ten
// with a PDF attached.
func customerMail(i int, now time.Time) ([]byte, error) {
	body := deskBodies[i%len(deskBodies)]
	o := mail.Outgoing{MessageID: fmt.Sprintf("bench-%d@client.example", i),
		From:    mail.Address{Name: fmt.Sprintf("Client %d", i), Email: fmt.Sprintf("client%d@client.example", i)},
		To:      []mail.Address{{Email: intakeAddress}},
		Subject: deskSubjects[i%len(deskSubjects)], Text: body,
		HTML: "<p>" + body + "</p>", Date: now.Add(time.Duration(i-10_000_000) * time.Second)}
	if i%10 == 0 {
		o.Attachments = []mail.Part{{FileName: "justificatif.pdf", ContentType: "application/pdf",
			Data: []byte("%PDF-1.4\n% justificatif " + strconv.Itoa(i) + "\n%%EOF\n")}}
	}
	return mail.Compose(o)
}
