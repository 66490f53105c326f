// Package desk is where agents answer customers: requests arriving by
// email, web form, phone or chat, each with its thread of inbound and
// outbound mail, internal notes, solicitations of outside people, status
// changes and assignments.
//
// Mail comes in through the mailboxes' IMAP folders (intake.go): each
// fetched message is stored raw in the file store and parsed, and the
// mailbox's UID mark advances in the same transaction, so a crash between
// fetch and commit fetches the message again and desk_mail_keys (Message-ID
// or content hash per mailbox) keeps a rescan from doubling it. Threading
// (thread.go) tries, in order, the signed token of our own Message-IDs, the
// [#REF] tag of the subject, then In-Reply-To/References within the
// mailbox. Mail goes out through a job (send.go): a reply is composed and
// stored as queued in the transaction that records it, the job marks it
// sending before it talks to the server, and a message found still
// "sending" after a crash is failed for an agent to check, never resent on
// its own — so no message leaves twice.
//
// Every read and write takes the actor and checks the request's unit
// against the actor's scope in the query itself.
package desk
