package core

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Code classifies an Error; the web layer maps each code to one HTTP status.
type Code string

// The error codes domain packages return.
const (
	Invalid      Code = "invalid"        // input that fails validation (422)
	BadRequest   Code = "bad_request"    // malformed request (400)
	Unauthorized Code = "unauthorized"   // no valid credentials (401)
	Forbidden    Code = "forbidden"      // a permission the actor lacks (403)
	NotFound     Code = "not_found"      // absent, or outside the actor's scope (404)
	Conflict     Code = "conflict"       // duplicates an existing object (409)
	Gone         Code = "gone"           // existed but is no longer kept, e.g. purged by retention (410)
	Expired      Code = "expired"        // valid once, now past its date, e.g. a survey's answer link (410)
	TooManyTries Code = "too_many_tries" // throttled (429)
	Internal     Code = "internal"       // anything unexpected (500)
	Unavailable  Code = "unavailable"    // a dependency is down (503)
)

// Error is a domain error with a code and a message meant for users.
// Fields names the input fields at fault and why, for validation errors.
type Error struct {
	Code    Code
	Message string
	Fields  Fields
	Err     error // the underlying cause, never shown to users
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, Internal for foreign errors, "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorMessage returns the user-facing message of err; foreign errors get a
// generic message so internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// Fields collects validation failures field by field, each with its Reason.
type Fields map[string]Reason

// Add records why field is invalid; the first reason for a field wins.
func (f Fields) Add(field string, why Reason) {
	if _, ok := f[field]; !ok {
		f[field] = why
	}
}

// Err returns an Invalid error listing the fields, or nil when there are none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	msg := "invalid input"
	if len(f) == 1 {
		for k, v := range f {
			msg = k + ": " + v.English()
		}
	}
	return &Error{Code: Invalid, Message: msg, Fields: f}
}

// English returns each field's reason written in English, for the API's
// "fields" member and logs.
func (f Fields) English() map[string]string {
	if len(f) == 0 {
		return nil
	}
	out := make(map[string]string, len(f))
	for k, r := range f {
		out[k] = r.English()
	}
	return out
}

// Summary writes err on one line for a person reading a list of refusals
// (an import's rejects, an ingestion's answers): every field at fault with
// why, in field order, else the message.
func Summary(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k].English()
	}
	return strings.Join(parts, "; ")
}
