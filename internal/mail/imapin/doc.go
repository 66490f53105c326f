// Package imapin fetches a mailbox folder over IMAP without ever losing or
// duplicating a message (go-imap v2's imapclient).
//
// Guarantees:
//
//   - The caller keeps per mailbox a State: the folder's UIDVALIDITY and the
//     last UID committed. Sync fetches in UID order every message above
//     State.LastUID and hands each to a Commit that stores it AND advances
//     the state in one transaction. The state moves only in that
//     transaction, so a crash or an error anywhere (connection lost, commit
//     refused, process killed) leaves it at the last message stored: the
//     next Sync starts from the message after it. Nothing is skipped, and
//     nothing is stored twice unless the commit itself wrote without
//     advancing the state.
//   - When the folder's UIDVALIDITY is not the state's (the server rebuilt
//     the folder, or this is the first sync), every message is fetched again
//     and committed under the new UIDVALIDITY; the caller dedupes (on the
//     Message-ID per mailbox, or a hash of the content).
//   - Messages are fetched in batches of at most 100 messages and 16 MiB
//     (one UID FETCH of BODY.PEEK[] and INTERNALDATE each, after one UID
//     FETCH of the new UIDs with their sizes), so a big folder never sits in
//     memory and nothing is marked \Seen. The batch is read whole before the
//     first commit, so a slow commit never stalls the IMAP connection.
//   - Without AfterCommit the folder is opened read-only (EXAMINE): the
//     server's messages are left exactly as they were. MarkSeen and MoveTo
//     act on each batch's committed messages after their commits; if that
//     fails the messages stay committed (the action is not retried).
//
// Watcher keeps one folder fetched: it syncs, then waits in IDLE when the
// server's CAPABILITY has it (ending it after 25 minutes for a fresh sync)
// and syncs again when the server announces new mail; without IDLE (or with
// ForcePoll) it reconnects and syncs every Poll. It reads the state with
// Load before every sync, so the progress of another instance counts, and
// the configuration with Config at every connection. On any failure it
// logs (never the password) and reconnects after an exponential backoff,
// from 1 second doubling to 5 minutes, each wait drawn between half and
// all of it; a successful sync resets the backoff. A mailbox down for a
// week is caught up at the first successful connection.
//
// Errors are *core.Error whose message names the failed step ("connect:",
// "TLS:", "login refused:", "folder INBOX2 not found"), with the server's
// words and never the password; errors.Is tells the steps apart (ErrLogin
// for a refused login). A Commit's error comes back wrapped with ErrCommit.
package imapin
