// Package mail is the desk's mail engine, pure and without storage or
// network: Parse reads a received message (RFC 5322 and MIME) into what an
// agent sees, Compose writes the messages the desk sends.
//
// Leniency: Parse never fails and never panics. It reads what it can with
// enmime (charsets, RFC 2047 words, RFC 2231 parameters, inline parts by
// Content-ID) and says what went wrong in Problems. Broken means some content
// may be missing or misread (a part that could not be decoded, a truncated
// message, a boundary that never comes, bytes in an unknown charset read as
// Windows-1252, NUL bytes removed); when nothing readable came out of a broken
// message, Text holds its raw text so an agent can still read it. Every string
// is valid UTF-8 without NUL, so PostgreSQL stores it. The caller keeps the raw
// message: Parse is a view of it, not a replacement.
//
// Automatic mail (Auto, AutoWhy): Auto-Submitted other than "no", X-Autoreply,
// X-Autorespond, Precedence bulk, junk, list or auto_reply, a null Return-Path
// "<>" (only delivery reports and automatic answers are sent from the null
// address, RFC 3834 and RFC 5321), and any report (delivery status or read
// receipt). List-Id alone is not automatic: a person answering through a
// mailing list or a group address is still a person.
//
// Bounces (Bounce): a delivery status notification (RFC 3464, a
// message/delivery-status part) with a recipient whose Action is failed (or
// a 5.x.x Status without Action); a delayed or relayed report is automatic but
// not a bounce. Without a report, a message from MAILER-DAEMON or postmaster
// carrying X-Failed-Recipients (Exim) is a bounce too. The failed original is
// found by its Message-ID in the returned message or headers, else by the
// bounce's In-Reply-To and References. A bounce is always Auto.
package mail
