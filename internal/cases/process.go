package cases

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// The process's rules are pure functions of a classification's Process:
// which steps a case in a status may take, whether the board may move a
// card between two statuses, and whether a step's fields are filled in.
//
// Reason codes of refused moves (field "status" of a Conflict):
//   - no_step: no step leads from the status "from" to the status "to"
//     (params from, to: the statuses' names; from_code, to_code);
//   - step_needs_fields: the step that leads there asks for fields, so it
//     is run from the case's page, not by a drag on the board (params
//     step: its name, fields: their labels);
//   - unknown_status: "to" is not a status of the process (param status).
//
// A closed status needs no special case: a case leaves it only by a step
// whose From names it.

// Initial is the status a new case starts in: the first one (the zero
// Status when the process has none).
func (p Process) Initial() Status {
	if len(p.Statuses) == 0 {
		return Status{}
	}
	return p.Statuses[0]
}

// Status returns the status of code.
func (p Process) Status(code string) (Status, bool) {
	for _, s := range p.Statuses {
		if s.Code == code {
			return s, true
		}
	}
	return Status{}, false
}

// Step returns the step of code.
func (p Process) Step(code string) (Step, bool) {
	for _, s := range p.Steps {
		if s.Code == code {
			return s, true
		}
	}
	return Step{}, false
}

// StepsFrom lists, in the process's order, the steps a case in status may
// take: those whose From names it (or is empty: from any status) and that
// lead elsewhere.
func (p Process) StepsFrom(status string) []Step {
	var out []Step
	for _, s := range p.Steps {
		if s.To == status {
			continue
		}
		if len(s.From) == 0 || slices.Contains(s.From, status) {
			out = append(out, s)
		}
	}
	return out
}

// Move is the board's move of a case from one status to another: it
// returns the step that leads there, the first of them without a required
// field. It is refused (Conflict, field "status") when no step leads from
// from to to (no_step) or when every one asks for a required field
// (step_needs_fields); a status the process lacks is Invalid
// (unknown_status).
func (p Process) Move(from, to string) (Step, error) {
	target, ok := p.Status(to)
	if !ok {
		return Step{}, &core.Error{Code: core.Invalid, Message: "unknown status " + to,
			Fields: core.Fields{"status": core.Because("unknown_status", "status", to)}}
	}
	var candidates []Step
	for _, s := range p.StepsFrom(from) {
		if s.To == to {
			candidates = append(candidates, s)
		}
	}
	if len(candidates) == 0 {
		fromName := from
		if st, ok := p.Status(from); ok {
			fromName = st.Name("")
		}
		return Step{}, &core.Error{Code: core.Conflict,
			Message: "no step leads from " + fromName + " to " + target.Name(""),
			Fields: core.Fields{"status": core.Because("no_step", "from", fromName, "to", target.Name(""),
				"from_code", from, "to_code", to)}}
	}
	for _, s := range candidates {
		if len(requiredFields(s)) == 0 {
			return s, nil
		}
	}
	s := candidates[0]
	labels := requiredFields(s)
	return Step{}, &core.Error{Code: core.Conflict,
		Message: "step " + s.Name("") + " needs its fields: " + strings.Join(labels, ", "),
		Fields:  core.Fields{"status": core.Because("step_needs_fields", "step", s.Name(""), "fields", labels)}}
}

// requiredFields are the labels of the step's required fields.
func requiredFields(s Step) []string {
	var out []string
	for _, f := range s.Fields {
		if f.Required {
			out = append(out, f.Label(""))
		}
	}
	return out
}

// numberPattern is a decimal as an agent types it: a sign, digits, a
// decimal point or comma.
var numberPattern = regexp.MustCompile(`^[+-]?[0-9]{1,18}([.,][0-9]{1,10})?$`)

// CheckFields checks the values an agent filled in for step, field by
// field (errors keyed "field.CODE"): required ones present, texts valid
// and within their limit, numbers decimal (a comma becomes a point),
// dates YYYY-MM-DD, booleans true or false, choices among the field's.
// A value for a field the step lacks is refused (unknown_field). It
// returns the cleaned values; empty optional fields are left out.
func CheckFields(step Step, values map[string]string) (map[string]string, error) {
	f := core.Fields{}
	out := map[string]string{}
	for k := range values {
		if !slices.ContainsFunc(step.Fields, func(x Field) bool { return x.Code == k }) {
			key := "field." + k
			if _, bad := core.TextProblem(k, core.MaxCode); bad {
				key = "field"
			}
			f.Add(key, core.Because("unknown_field"))
		}
	}
	for _, fd := range step.Fields {
		key := "field." + fd.Code
		max := fd.Max
		if max <= 0 {
			max = core.MaxComment
		}
		raw := values[fd.Code]
		if !core.CheckText(f, key, raw, max) {
			continue
		}
		v := strings.TrimSpace(raw)
		if v == "" {
			if fd.Required {
				f.Add(key, core.Required())
			}
			continue
		}
		switch fd.Type {
		case FieldNumber:
			if !numberPattern.MatchString(v) {
				f.Add(key, core.Because("number"))
				continue
			}
			v = strings.TrimPrefix(strings.ReplaceAll(v, ",", "."), "+")
		case FieldDate:
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				f.Add(key, core.Because("date"))
				continue
			}
		case FieldBoolean:
			v = strings.ToLower(v)
			if v != "true" && v != "false" {
				f.Add(key, core.Because("boolean"))
				continue
			}
		case FieldChoice:
			if !slices.Contains(fd.Choices, v) {
				f.Add(key, core.OneOf(fd.Choices...))
				continue
			}
		}
		out[fd.Code] = v
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
