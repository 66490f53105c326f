// Package devmail is a real mail server in the process: IMAP
// (go-imap v2's imapserver over imapmemserver, with IDLE) and SMTP
// (go-smtp's server), keeping mail in memory. Tests drive the desk's mail
// loop through it, and `rapport demo` runs it so that a newcomer can write
// to the desk with any mail client and read its replies.
//
// Every address is a user whose login is the address and whose password
// is Options.Password; a user is created by AddUser, at first IMAP login,
// or when mail is sent to it. The SMTP side accepts any sender, with AUTH
// PLAIN or without AUTH (a server for the loopback), delivers each accepted
// message into every recipient's INBOX and records its envelope (Sent,
// WaitSent). FailRecipients makes it refuse a recipient, ResetFolder gives
// a folder a new UIDVALIDITY, Pause and Resume stop and restart it on the
// same addresses with its mail kept, as a server that crashed and came
// back would. Connections are plain TCP; Options.StartTLS and the TLS
// addresses add TLS with a self-signed certificate that TLSConfig trusts.
//
// UIDVALIDITY values start at 1 for every new Server: clients that keep a
// state across servers must restart the same Server (Pause, Resume), not
// start a new one.
package devmail
