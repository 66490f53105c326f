// Package smtpout sends a composed message through a mailbox's SMTP
// server (go-smtp's client).
//
// Security is explicit: "tls" (TLS from the first byte), "starttls" (the
// connection must be upgraded before anything else; a server that does not
// offer STARTTLS is refused, never used in clear) or "none". Credentials
// (AUTH PLAIN, when Config.Login is set) therefore only travel over TLS,
// unless the administrator chose "none" for a server on a trusted network.
//
// Send is all or nothing per call: one recipient refused and nothing is
// sent. Errors are *core.Error whose message names the step and carries the
// server's reply ("RCPT TO <x@example.com>: 550 5.1.1 user unknown"),
// never the password; Permanent tells a 5xx reply (do not retry) from a
// temporary failure (4xx, connection lost). A message the server has
// accepted is sent, whatever happens at QUIT.
package smtpout
