// Package content checks and cleans what outsiders send: files (names
// cleaned, executables refused, the declared media type checked against the
// content, sizes bounded) and HTML bodies (sanitised before they are shown).
// The history's ingestion uses it today, the desk's email intake tomorrow,
// so both apply the same rules. It reads bytes and strings only: storing
// files is the blob package's job.
package content
