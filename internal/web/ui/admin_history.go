package ui

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/history"
)

// historyAdminPage is the contact history administration: the
// establishments with their settings, and the sources.
type historyAdminPage struct {
	adminBase
	Establishments []history.EstablishmentSettings
	Sources        []history.Source
	Classes        []string
	New            history.SourceInput
}

func (s *server) adminHistory(w http.ResponseWriter, r *http.Request) {
	s.showHistoryAdmin(w, r, http.StatusOK, history.SourceInput{Retention: history.ClassOther}, "", nil)
}

func (s *server) showHistoryAdmin(w http.ResponseWriter, r *http.Request, status int, in history.SourceInput, msg string, fields core.Fields) {
	ctx := r.Context()
	actor := core.ActorFrom(ctx)
	ests, err := s.History.SettingsOverview(ctx, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sources, err := s.History.ListSources(ctx, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := historyAdminPage{adminBase: s.adminPage(r, "admin.history", "history"), Establishments: ests, Sources: sources,
		Classes: history.RetentionClasses, New: in}
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_history", "", p)
}

func (s *server) adminHistorySourceAdd(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	in := history.SourceInput{Code: strings.TrimSpace(r.FormValue("code")), Name: r.FormValue("name"), Retention: r.FormValue("retention")}
	if _, err := s.History.AddSource(ctx, core.ActorFrom(ctx), in); err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showHistoryAdmin(w, r, status, in, msg, fields)
		})
		return
	}
	p := s.newPage(r, "admin.history")
	s.redirect(w, r, "/admin/history", p.T("admin.history_source_added"))
}

// historySettingsForm is the settings form as typed, kept as it is when
// the form is refused so that nothing typed is lost. Field names are
// those of history.Settings.Validate's errors.
type historySettingsForm struct {
	MinOutbound string
	Window      string // minutes
	Keywords    string // comma-separated
	SpamTags    string // comma-separated
	Categories  string // comma-separated
	LetterTypes string // one "CODE = label" a line
	Retention   []retentionRow
}

// retentionRow is one row of the retention table as typed, in days.
type retentionRow struct {
	Class                              string
	Subject, Body, Attachments, Inline string
}

func settingsForm(st history.Settings) historySettingsForm {
	f := historySettingsForm{
		MinOutbound: strconv.Itoa(int(st.Rules.MinOutboundCall / time.Second)),
		Window:      strconv.Itoa(int(st.Rules.ReportWindow / time.Minute)),
		Keywords:    strings.Join(st.Rules.PrivateKeywords, ", "),
		SpamTags:    strings.Join(st.Rules.SpamTags, ", "),
		Categories:  strings.Join(st.Rules.NotificationCategories, ", "),
	}
	var letters []string
	for _, code := range slices.Sorted(maps.Keys(st.Rules.LetterTypes)) {
		letters = append(letters, code+" = "+st.Rules.LetterTypes[code])
	}
	f.LetterTypes = strings.Join(letters, "\n")
	for _, class := range history.RetentionClasses {
		k := st.Retention.For(class)
		f.Retention = append(f.Retention, retentionRow{Class: class, Subject: strconv.Itoa(k.Subject), Body: strconv.Itoa(k.Body),
			Attachments: strconv.Itoa(k.Attachments), Inline: strconv.Itoa(k.Inline)})
	}
	return f
}

// readSettingsForm reads the posted form: what was typed, and the
// settings it means with the fields that could not be read.
func readSettingsForm(r *http.Request, base history.Settings) (historySettingsForm, history.Settings, core.Fields) {
	f := historySettingsForm{MinOutbound: strings.TrimSpace(r.FormValue("rules.min_outbound_call_seconds")),
		Window:   strings.TrimSpace(r.FormValue("rules.report_window_minutes")),
		Keywords: r.FormValue("rules.private_keywords"), SpamTags: r.FormValue("rules.spam_tags"),
		Categories: r.FormValue("rules.notification_categories"), LetterTypes: r.FormValue("rules.letter_types")}
	st, bad := base, core.Fields{}
	number := func(field, raw string) int {
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil {
			bad.Add(field, core.Because("whole_number"))
		}
		return n
	}
	st.Rules.MinOutboundCall = time.Duration(number("rules.min_outbound_call_seconds", f.MinOutbound)) * time.Second
	st.Rules.ReportWindow = time.Duration(number("rules.report_window_minutes", f.Window)) * time.Minute
	list := func(raw string) []string { return strings.Split(raw, ",") }
	st.Rules.PrivateKeywords, st.Rules.SpamTags, st.Rules.NotificationCategories = list(f.Keywords), list(f.SpamTags), list(f.Categories)
	st.Rules.LetterTypes = map[string]string{}
	for _, line := range strings.Split(f.LetterTypes, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		code, label, ok := strings.Cut(line, "=")
		if !ok {
			bad.Add("rules.letter_types", core.Because("letter_type_lines"))
			continue
		}
		st.Rules.LetterTypes[strings.TrimSpace(code)] = strings.TrimSpace(label)
	}
	st.Retention = history.Retention{}
	for _, class := range history.RetentionClasses {
		p := "retention." + class + "."
		row := retentionRow{Class: class, Subject: r.FormValue(p + "subject_days"), Body: r.FormValue(p + "body_days"),
			Attachments: r.FormValue(p + "attachments_days"), Inline: r.FormValue(p + "inline_days")}
		f.Retention = append(f.Retention, row)
		st.Retention[class] = history.KeepDays{Subject: number(p+"subject_days", row.Subject), Body: number(p+"body_days", row.Body),
			Attachments: number(p+"attachments_days", row.Attachments), Inline: number(p+"inline_days", row.Inline)}
	}
	return f, st, bad
}

// historySettingsPage is an establishment's settings form.
type historySettingsPage struct {
	adminBase
	Establishment history.EstablishmentSettings
	Form          historySettingsForm
}

func (s *server) adminHistorySettings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.History.EstablishmentSettings(ctx, core.ActorFrom(ctx), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showHistorySettings(w, r, http.StatusOK, e, settingsForm(e.Settings), "", nil)
}

func (s *server) showHistorySettings(w http.ResponseWriter, r *http.Request, status int, e history.EstablishmentSettings,
	form historySettingsForm, msg string, fields core.Fields) {
	p := historySettingsPage{adminBase: s.adminPage(r, "admin.history", "history"), Establishment: e, Form: form}
	p.Title = p.T("admin.history") + " · " + e.EstablishmentName
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_history_settings", "", p)
}

func (s *server) adminHistorySettingsSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := core.ActorFrom(ctx)
	e, err := s.History.EstablishmentSettings(ctx, actor, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form, st, bad := readSettingsForm(r, s.History.DefaultSettings())
	show := func(status int, msg string, fields core.Fields) {
		s.showHistorySettings(w, r, status, e, form, msg, fields)
	}
	if err := bad.Err(); err != nil {
		s.formFail(w, r, err, show)
		return
	}
	if _, err := s.History.SaveSettings(ctx, actor, e.EstablishmentCode, st); err != nil {
		s.formFail(w, r, err, show)
		return
	}
	p := s.newPage(r, "admin.history")
	s.redirect(w, r, fmt.Sprintf("/admin/history/settings/%s", e.EstablishmentCode), p.T("admin.saved"))
}
