package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/demo"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/secret"
)

// demoMailPassword is every demo mail user's password.
const demoMailPassword = "demo"

// startDemoMail starts the embedded mail server on imapAddr and smtpAddr,
// or on free ports of the loopback when those are taken.
func startDemoMail(a *app.App, imapAddr, smtpAddr string) (*devmail.Server, demo.MailServer, error) {
	opts := devmail.Options{IMAPAddr: imapAddr, SMTPAddr: smtpAddr, Password: demoMailPassword, Logger: a.Logger}
	srv, err := devmail.Start(opts)
	if err != nil {
		a.Logger.Warn("demo mail server: ports taken, using free ones", "err", err)
		opts.IMAPAddr, opts.SMTPAddr = "127.0.0.1:0", "127.0.0.1:0"
		if srv, err = devmail.Start(opts); err != nil {
			return nil, demo.MailServer{}, fmt.Errorf("start the demo mail server: %w", err)
		}
	}
	host, imapPort, err := splitPort(srv.IMAPAddr())
	if err != nil {
		srv.Close()
		return nil, demo.MailServer{}, err
	}
	_, smtpPort, err := splitPort(srv.SMTPAddr())
	if err != nil {
		srv.Close()
		return nil, demo.MailServer{}, err
	}
	return srv, demo.MailServer{Host: host, IMAPPort: imapPort, SMTPPort: smtpPort, Password: demoMailPassword}, nil
}

func splitPort(addr string) (string, int, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	n, err := strconv.Atoi(port)
	return host, n, err
}

// seedDemoDesk seeds the desk when the demo database has none (a fresh
// one, or one seeded before the desk existed) and points its mailboxes at
// the mail server; it returns the summary of what it seeded (empty when
// the desk was there) and the mailboxes.
func seedDemoDesk(ctx context.Context, a *app.App, server demo.MailServer, out io.Writer) (demo.DeskSummary, []demo.DeskMailbox, error) {
	var sum demo.DeskSummary
	mbs, err := demo.DeskMailboxes(ctx, a.DB)
	if err != nil {
		return sum, nil, err
	}
	if len(mbs) == 0 {
		key, err := secret.Load(a.Config.SecretKey, a.Config.DataDir) // the key the application loaded
		if err != nil {
			return sum, nil, err
		}
		deps := demo.DeskDeps{DB: a.DB, Orgs: a.Orgs, Parties: a.Parties, Files: a.Files, Books: a.Catalogues.Books(), Key: key}
		start := time.Now()
		if sum, err = demo.SeedDesk(ctx, deps, server, a.Clock.Now(), 0); err != nil {
			return sum, nil, fmt.Errorf("seed the demo desk: %w", err)
		}
		fmt.Fprintf(out, "Seeded the desk: %d mailboxes, %d requests (%d new, %d open, %d waiting, %d closed; %d by email, %d by web form, %d by phone), %d messages, %d solicitations in %s.\n",
			len(sum.Mailboxes), sum.Requests, sum.ByStatus["new"], sum.ByStatus["open"], sum.ByStatus["waiting"], sum.ByStatus["closed"],
			sum.ByChannel["email"], sum.ByChannel["web_form"], sum.ByChannel["phone"], sum.Messages, sum.Solicitations, time.Since(start).Round(time.Millisecond))
		mbs = sum.Mailboxes
		if len(sum.Forms) > 0 {
			fmt.Fprintf(out, "Each agency and the contact centre has a public web form, such as %s (a request form a customer fills in without signing in).\n", sum.Forms[0])
		}
	}
	return sum, mbs, demo.PointMailboxes(ctx, a.DB, server)
}

// printDemoMail tells a newcomer how to write to the desk as a customer
// and where its replies can be read.
func printDemoMail(out io.Writer, server demo.MailServer, mbs []demo.DeskMailbox, queued []string) {
	host := server.Host
	fmt.Fprintf(out, "\nThe desk's mail goes through a mail server inside the demo (no encryption, any mail client):\n")
	fmt.Fprintf(out, "  IMAP %s port %d   SMTP %s port %d   login: any address   password: %s\n",
		host, server.IMAPPort, host, server.SMTPPort, server.Password)
	fmt.Fprintf(out, "Write to the desk as a customer: set up an account for, say, marie.durand@example.com with these\n")
	fmt.Fprintf(out, "settings and send a message to one of the desk's mailboxes; a request appears on the desk within seconds:\n")
	var addrs []string
	for _, m := range mbs {
		addrs = append(addrs, fmt.Sprintf("  %-34s %s", m.Address, m.Unit))
	}
	fmt.Fprintln(out, strings.Join(addrs, "\n"))
	fmt.Fprintf(out, "Without a mail client:\n")
	fmt.Fprintf(out, "  printf 'From: marie.durand@example.com\\nTo: agence-lyon@%s\\nSubject: Carte bloquée\\n\\nBonjour, ma carte est bloquée.\\n' \\\n", demo.MailDomain)
	fmt.Fprintf(out, "    | curl -s smtp://%s:%d \\\n", host, server.SMTPPort)
	fmt.Fprintf(out, "    --mail-from marie.durand@example.com --mail-rcpt agence-lyon@%s -T -\n", demo.MailDomain)
	fmt.Fprintf(out, "The desk's replies land in the customer's INBOX: log in over IMAP as the customer's address (password %s).\n", server.Password)
	if len(queued) > 0 {
		fmt.Fprintf(out, "Replies queued at seeding leave now, to %s: log in as one of them to read it.\n", strings.Join(queued, " and "))
	}
}
