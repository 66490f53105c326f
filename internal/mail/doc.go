// Package mail is the desk's mail engine, pure and without storage or
// network: Parse reads a received message (RFC 5322 and MIME) into what an
// agent sees, Compose writes the messages the desk sends.
//
// Leniency: Parse never fails and never panics. Well-formed mail, most of
// it, is read by go-message, which streams parts through the standard
// library's decoders (fast); at the first thing that reader cannot read, the
// message is read again by enmime, which mends headers, skips malformed
// parts and reports what it met (slower: it reads byte by byte). Both fill
// one part tree, and the tests check they read well-formed mail the same.
// Charsets are converted (RFC 2047 words, RFC 2231 parameters, bodies);
// a body that is not in its declared charset is detected or read as
// Windows-1252. Problems says what went wrong; Broken means some content may
// be missing or misread (a part that could not be decoded, a truncated
// message, a boundary that never comes, a charset guessed, NUL bytes
// removed). When nothing readable came out of a broken message, Text holds
// its raw text so an agent can still read it. Every string is valid UTF-8
// without NUL, so PostgreSQL stores it. The caller keeps the raw message:
// Parse is a view of it, not a replacement.
//
// Automatic mail (Auto, AutoWhy): Auto-Submitted other than "no", X-Autoreply,
// X-Autorespond, Precedence bulk, junk, list or auto_reply, a null Return-Path
// "<>" (only delivery reports and automatic answers are sent from the null
// address, RFC 3834 and RFC 5321), and any report (delivery status or read
// receipt). List-Id alone is not automatic: a person answering through a
// mailing list or a group address is still a person. X-Auto-Response-Suppress
// alone is not either: it asks others not to answer automatically, it does
// not say the message was sent by a program.
//
// Bounces (Bounce): a delivery status notification (RFC 3464, a
// message/delivery-status part) with a recipient whose Action is failed (or
// a 5.x.x Status without Action); a delayed or relayed report is automatic but
// not a bounce. Without a report, a message from MAILER-DAEMON or postmaster
// carrying X-Failed-Recipients (Exim) is a bounce too. The failed original is
// found by its Message-ID in the returned message or headers, else in a copy
// quoted in the text, else by the bounce's In-Reply-To and References. A
// bounce is always Auto.
package mail
