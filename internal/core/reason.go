package core

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/template"
)

// Reason is why a field was refused: a stable code, which the UI translates
// through its locale files ("reason.<code>"), and the parameters its message
// needs (e.g. too_long with max=200). Rewording a message never changes the
// code, so translations and API clients keep working.
type Reason struct {
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
}

// Because builds the Reason code with its parameters given as key/value
// pairs: Because("too_long", "max", 200).
func Because(code string, kv ...any) Reason {
	r := Reason{Code: code}
	if len(kv) > 1 {
		r.Params = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			r.Params[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return r
}

// Required is the reason of a missing value.
func Required() Reason { return Because("required") }

// TooLong is the reason of a text longer than max characters.
func TooLong(max int) Reason { return Because("too_long", "max", max) }

// RequiredUpTo is the reason of a text either missing or longer than max characters.
func RequiredUpTo(max int) Reason { return Because("required_up_to", "max", max) }

// OutOfRange is the reason of a number outside [min, max].
func OutOfRange(min, max int64) Reason { return Because("out_of_range", "min", min, "max", max) }

// TooMany is the reason of a list longer than max items.
func TooMany(max int) Reason { return Because("too_many", "max", max) }

// OneOf is the reason of a value outside a fixed list.
func OneOf(values ...string) Reason { return Because("one_of", "values", values) }

// NulByte is the reason of a text holding a NUL character.
func NulByte() Reason { return Because("nul_byte") }

// InvalidUTF8 is the reason of a text that is not valid UTF-8.
func InvalidUTF8() Reason { return Because("invalid_utf8") }

// English writes the reason in English from its code's template, for API
// users and logs; an unknown code is written as is.
func (r Reason) English() string {
	src, ok := reasonEnglish[r.Code]
	if !ok {
		return r.Code
	}
	return FillReason(src, r.Params)
}

// FillReason executes a reason's message template (text/template, e.g.
// "at most {{.max}} characters") with params, lists joined by commas; a
// template that fails is returned unfilled.
func FillReason(src string, params map[string]any) string {
	if !strings.Contains(src, "{{") {
		return src
	}
	t, err := template.New("").Option("missingkey=zero").Parse(src)
	if err != nil {
		return src
	}
	var b strings.Builder
	if err := t.Execute(&b, ReasonData(params)); err != nil {
		return src
	}
	return b.String()
}

// ReasonData prepares params for a message template: lists become one
// comma-separated text.
func ReasonData(params map[string]any) map[string]any {
	data := make(map[string]any, len(params))
	for k, v := range params {
		if list, ok := v.([]string); ok {
			v = strings.Join(list, ", ")
		}
		data[k] = v
	}
	return data
}

// ReasonCodes lists every reason code the application may give, sorted; the
// UI's tests check each has a translation in every language.
func ReasonCodes() []string { return slices.Sorted(maps.Keys(reasonEnglish)) }

// ReasonEnglish returns the English template of code ("" when unknown).
func ReasonEnglish(code string) string { return reasonEnglish[code] }
