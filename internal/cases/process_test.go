package cases

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
)

// claim is a claim's process: received → analysis → answered (closed),
// with a reopening step and a cancellation from any status.
var claim = Process{
	Statuses: []Status{
		{Code: "received", NameFR: "Reçue", NameEN: "Received"},
		{Code: "analysis", NameFR: "En analyse", NameEN: "Under analysis"},
		{Code: "answered", NameFR: "Répondue", NameEN: "Answered", Closed: true},
		{Code: "cancelled", NameFR: "Annulée", NameEN: "Cancelled", Closed: true},
	},
	Steps: []Step{
		{Code: "qualify", NameFR: "Qualifier", From: []string{"received"}, To: "analysis"},
		{Code: "answer", NameFR: "Répondre", From: []string{"analysis"}, To: "answered",
			Fields: []Field{{Code: "decision", LabelFR: "Décision", Type: FieldChoice, Required: true, Choices: []string{"accepted", "refused"}}}},
		{Code: "reopen", NameFR: "Rouvrir", From: []string{"answered"}, To: "analysis"},
		{Code: "cancel", NameFR: "Annuler", To: "cancelled"},
	},
}

func TestInitialIsTheFirstStatus(t *testing.T) {
	if got := claim.Initial().Code; got != "received" {
		t.Errorf("Initial = %q, want received", got)
	}
	if got := (Process{}).Initial(); got.Code != "" {
		t.Errorf("an empty process's Initial = %+v, want the zero status", got)
	}
}

func TestStatusAndStepAreFoundByCode(t *testing.T) {
	for _, tc := range []struct {
		code string
		ok   bool
	}{{"answered", true}, {"received", true}, {"nope", false}, {"", false}} {
		if _, ok := claim.Status(tc.code); ok != tc.ok {
			t.Errorf("Status(%q) found = %v, want %v", tc.code, ok, tc.ok)
		}
	}
	for _, tc := range []struct {
		code string
		ok   bool
	}{{"answer", true}, {"cancel", true}, {"received", false}} {
		if _, ok := claim.Step(tc.code); ok != tc.ok {
			t.Errorf("Step(%q) found = %v, want %v", tc.code, ok, tc.ok)
		}
	}
}

func TestStepsFromAStatusAreTheStepsNamingItOrAnyAndLeadingElsewhere(t *testing.T) {
	for _, tc := range []struct {
		status string
		want   []string
	}{
		{"received", []string{"qualify", "cancel"}},
		{"analysis", []string{"answer", "cancel"}},
		{"answered", []string{"reopen", "cancel"}},
		{"cancelled", nil}, // the any-status step leads to itself: not offered
		{"unknown", []string{"cancel"}},
	} {
		var got []string
		for _, s := range claim.StepsFrom(tc.status) {
			got = append(got, s.Code)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("StepsFrom(%q) = %v, want %v", tc.status, got, tc.want)
		}
	}
}

// reason is the reason of err's field, with err's code.
func reason(t *testing.T, err error, field string) (core.Code, core.Reason) {
	t.Helper()
	var e *core.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a core.Error", err)
	}
	return e.Code, e.Fields[field]
}

func TestTheBoardMovesACaseOnlyAlongAStepWithoutRequiredFields(t *testing.T) {
	twoWays := claim
	twoWays.Steps = append([]Step{{Code: "answer_fast", NameFR: "Répondre vite", From: []string{"analysis"}, To: "answered",
		Fields: []Field{{Code: "note", LabelFR: "Note", Type: FieldText, Required: true}}}}, claim.Steps...)
	twoWays.Steps = append(twoWays.Steps, Step{Code: "answer_plain", NameFR: "Répondre simplement", From: []string{"analysis"}, To: "answered"})
	for _, tc := range []struct {
		name     string
		p        Process
		from, to string
		step     string    // the step taken, when allowed
		code     core.Code // the refusal's code
		reason   string    // its reason
	}{
		{"a step leads there", claim, "received", "analysis", "qualify", "", ""},
		{"an any-status step", claim, "analysis", "cancelled", "cancel", "", ""},
		{"reopening a closed case by its step", claim, "answered", "analysis", "reopen", "", ""},
		{"no step skips a status", claim, "received", "answered", "", core.Conflict, "no_step"},
		{"a closed case is left only by a step", claim, "cancelled", "received", "", core.Conflict, "no_step"},
		{"the same status", claim, "analysis", "analysis", "", core.Conflict, "no_step"},
		{"the only step asks for a field", claim, "analysis", "answered", "", core.Conflict, "step_needs_fields"},
		{"of several steps the one without fields", twoWays, "analysis", "answered", "answer_plain", "", ""},
		{"a status the process lacks", claim, "received", "archived", "", core.Invalid, "unknown_status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := tc.p.Move(tc.from, tc.to)
			if tc.reason == "" {
				if err != nil || s.Code != tc.step {
					t.Fatalf("Move(%s, %s) = %q, %v; want step %q", tc.from, tc.to, s.Code, err, tc.step)
				}
				return
			}
			if err == nil {
				t.Fatalf("Move(%s, %s) = step %q, want refused with %s", tc.from, tc.to, s.Code, tc.reason)
			}
			code, why := reason(t, err, "status")
			if code != tc.code || why.Code != tc.reason {
				t.Errorf("Move(%s, %s) refused with %s/%s, want %s/%s", tc.from, tc.to, code, why.Code, tc.code, tc.reason)
			}
		})
	}
}

func TestARefusedMoveNamesTheStatusesAndTheFields(t *testing.T) {
	_, err := claim.Move("received", "answered")
	_, why := reason(t, err, "status")
	if why.Params["from"] != "Reçue" || why.Params["to"] != "Répondue" {
		t.Errorf("no_step params = %v, want the statuses' names", why.Params)
	}
	_, err = claim.Move("analysis", "answered")
	_, why = reason(t, err, "status")
	if why.Params["step"] != "Répondre" || !slices.Equal(why.Params["fields"].([]string), []string{"Décision"}) {
		t.Errorf("step_needs_fields params = %v, want the step and its field", why.Params)
	}
}

func TestAStepsFieldsAreCheckedAndCleaned(t *testing.T) {
	step := Step{Code: "s", Fields: []Field{
		{Code: "amount", Type: FieldNumber, Required: true},
		{Code: "due", Type: FieldDate},
		{Code: "agreed", Type: FieldBoolean},
		{Code: "decision", Type: FieldChoice, Choices: []string{"accepted", "refused"}},
		{Code: "comment", Type: FieldText, Max: 10},
	}}
	for _, tc := range []struct {
		name   string
		values map[string]string
		want   map[string]string // the cleaned values, when accepted
		field  string            // the field refused
		reason string
	}{
		{"all valid", map[string]string{"amount": " 12,50 ", "due": "2026-12-01", "agreed": "TRUE", "decision": "refused", "comment": "ok"},
			map[string]string{"amount": "12.50", "due": "2026-12-01", "agreed": "true", "decision": "refused", "comment": "ok"}, "", ""},
		{"optional fields left empty are left out", map[string]string{"amount": "-3", "due": ""},
			map[string]string{"amount": "-3"}, "", ""},
		{"a required field missing", map[string]string{"due": "2026-12-01"}, nil, "field.amount", "required"},
		{"a required field blank", map[string]string{"amount": "   "}, nil, "field.amount", "required"},
		{"not a number", map[string]string{"amount": "12 €"}, nil, "field.amount", "number"},
		{"an exponent is not a decimal", map[string]string{"amount": "1e5"}, nil, "field.amount", "number"},
		{"not a date", map[string]string{"amount": "1", "due": "01/12/2026"}, nil, "field.due", "date"},
		{"an impossible date", map[string]string{"amount": "1", "due": "2026-02-30"}, nil, "field.due", "date"},
		{"not a boolean", map[string]string{"amount": "1", "agreed": "yes"}, nil, "field.agreed", "boolean"},
		{"not one of the choices", map[string]string{"amount": "1", "decision": "maybe"}, nil, "field.decision", "one_of"},
		{"a text too long", map[string]string{"amount": "1", "comment": "éééééééééééé"}, nil, "field.comment", "too_long"},
		{"a NUL byte", map[string]string{"amount": "1", "comment": "a\x00b"}, nil, "field.comment", "nul_byte"},
		{"invalid UTF-8", map[string]string{"amount": "1", "comment": "\xff"}, nil, "field.comment", "invalid_utf8"},
		{"a field the step lacks", map[string]string{"amount": "1", "colour": "blue"}, nil, "field.colour", "unknown_field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CheckFields(step, tc.values)
			if tc.reason == "" {
				if err != nil || !maps.Equal(got, tc.want) {
					t.Fatalf("CheckFields = %v, %v; want %v", got, err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckFields = %v, want %s refused with %s", got, tc.field, tc.reason)
			}
			code, why := reason(t, err, tc.field)
			if code != core.Invalid || why.Code != tc.reason {
				t.Errorf("CheckFields refused %s with %s/%q, want invalid/%s (%v)", tc.field, code, why.Code, tc.reason, err)
			}
		})
	}
}
