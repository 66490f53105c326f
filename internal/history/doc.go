// Package history is the interaction history ("Contacts 360"): the
// restitution rules that decide what of the integrations' events is shown
// and how, and (next) ingestion, the timeline and retention.
package history
