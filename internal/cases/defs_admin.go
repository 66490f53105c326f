package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Administrators keep an establishment's definitions: contact types, case
// classifications and action plans, each saved whole by its code (a new
// code adds one, an existing code replaces it; codes are never renamed,
// as contacts, cases and tasks keep them). A saved definition keeps its
// active flag; a new one is active.

// defCode is a definition's code (and a status's, a step's, a field's).
var defCode = regexp.MustCompile(`^[a-z0-9_]{2,40}$`)

// The limits of a definition's lists.
const (
	maxStatuses  = 50
	maxSteps     = 100
	maxFields    = 50
	maxChoices   = 100
	maxPlanSteps = 100
	maxTemplate  = 20 // interlocutors, agents or objects of a template
	maxPosition  = 100_000
	maxPlanDay   = 365
)

// estab is an establishment as the definitions' writes find it.
type estab struct{ ID, Code string }

// adminEstablishment finds the establishment of code for an administrator
// whose scope holds it (field establishment_code otherwise).
func adminEstablishment(ctx context.Context, q db.Querier, actor *core.Actor, code string) (estab, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return estab{}, err
	}
	code = strings.TrimSpace(code)
	if f := (core.Fields{}); !core.CheckText(f, "establishment_code", code, core.MaxCode) {
		return estab{}, f.Err() // PostgreSQL refuses a NUL or invalid UTF-8 that SQLite takes
	}
	var e estab
	err := q.QueryRow(ctx, "SELECT id, code FROM units WHERE code = ? AND parent_id IS NULL", code).Scan(&e.ID, &e.Code)
	if errors.Is(err, sql.ErrNoRows) {
		return e, core.Fields{"establishment_code": core.Because("unknown_unit_code", "code", code)}.Err()
	}
	if err != nil {
		return e, fmt.Errorf("establishment %s: %w", code, err)
	}
	if !actor.Scope.Contains(e.ID) {
		return e, core.Fields{"establishment_code": core.Because("outside_scope")}.Err()
	}
	return e, nil
}

// readableEstablishment checks an agent may read the definitions of an
// establishment: case.manage (or admin) and the establishment their own
// unit's or in their scope. Any other establishment is not found.
func readableEstablishment(ctx context.Context, q db.Querier, actor *core.Actor, establishmentID string) error {
	if !actor.Can(core.PermCaseManage) && !actor.Can(core.PermAdmin) {
		return core.Errorf(core.Forbidden, "permission %q required", core.PermCaseManage)
	}
	if actor.Scope.Contains(establishmentID) {
		return nil
	}
	if actor.UnitID != "" {
		own, err := establishmentOf(ctx, q, actor.UnitID)
		if err != nil {
			return err
		}
		if own == establishmentID {
			return nil
		}
	}
	return core.Errorf(core.NotFound, "establishment %s not found", establishmentID)
}

// checkNames checks a definition's code and names; name_en defaults to
// the name.
func checkNames(f core.Fields, prefix, code, name string, nameEN *string) {
	if !defCode.MatchString(code) {
		f.Add(prefix+"code", core.Because("catalogue_code"))
	}
	checkName(f, prefix+"name", name)
	if strings.TrimSpace(*nameEN) == "" {
		*nameEN = name
	}
	core.CheckText(f, prefix+"name_en", *nameEN, core.MaxName)
}

// checkName requires a name of at most core.MaxName characters.
func checkName(f core.Fields, field, name string) {
	if strings.TrimSpace(name) == "" {
		f.Add(field, core.RequiredUpTo(core.MaxName))
		return
	}
	core.CheckText(f, field, name, core.MaxName)
}

// checkTemplate checks what a template predefines: where interlocutors
// and agents come from, that a fixed party and a fixed agent exist, the
// agents' roles and the objects' kinds.
func checkTemplate(ctx context.Context, q db.Querier, f core.Fields, t *Template) error {
	if len(t.Interlocutors) > maxTemplate {
		f.Add("template.interlocutors", core.TooMany(maxTemplate))
	}
	if len(t.Agents) > maxTemplate {
		f.Add("template.agents", core.TooMany(maxTemplate))
	}
	if len(t.Objects) > maxTemplate {
		f.Add("template.objects", core.TooMany(maxTemplate))
	}
	froms := []string{FromCurrentParty, FromContractHolders, FromRelated, FromParty}
	for i := range t.Interlocutors {
		p := &t.Interlocutors[i]
		key := fmt.Sprintf("template.interlocutors[%d].", i)
		p.From, p.PartyID, p.Role = strings.TrimSpace(p.From), strings.TrimSpace(p.PartyID), strings.TrimSpace(p.Role)
		if !oneOf(p.From, froms) {
			f.Add(key+"from", core.OneOf(froms...))
		}
		core.CheckText(f, key+"role", p.Role, core.MaxName)
		if p.From != FromParty {
			p.PartyID = ""
			continue
		}
		if !core.ValidID(p.PartyID) {
			f.Add(key+"party_id", core.Because("party_not_found"))
			continue
		}
		var n int
		if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM parties WHERE id = ?", p.PartyID).Scan(&n); err != nil {
			return fmt.Errorf("template party: %w", err)
		}
		if n == 0 {
			f.Add(key+"party_id", core.Because("party_not_found"))
		}
	}
	agentFroms := []string{FromSignedIn, FromPartyAdvisor, FromLogin}
	for i := range t.Agents {
		a := &t.Agents[i]
		key := fmt.Sprintf("template.agents[%d].", i)
		a.From, a.Login, a.Role = strings.TrimSpace(a.From), strings.TrimSpace(a.Login), strings.TrimSpace(a.Role)
		if !oneOf(a.From, agentFroms) {
			f.Add(key+"from", core.OneOf(agentFroms...))
		}
		if !oneOf(a.Role, AgentRoles) {
			f.Add(key+"role", core.OneOf(AgentRoles...))
		}
		if a.From != FromLogin {
			a.Login = ""
			continue
		}
		if a.Login == "" || !core.CheckText(f, key+"login", a.Login, core.MaxCode) {
			f.Add(key+"login", core.Because("unknown_agent"))
			continue
		}
		var n int
		if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM agents WHERE login = ?", a.Login).Scan(&n); err != nil {
			return fmt.Errorf("template agent: %w", err)
		}
		if n == 0 {
			f.Add(key+"login", core.Because("unknown_agent"))
		}
	}
	for i := range t.Objects {
		o := &t.Objects[i]
		key := fmt.Sprintf("template.objects[%d].", i)
		o.Kind, o.Product = strings.TrimSpace(o.Kind), strings.TrimSpace(o.Product)
		if o.Kind == "" {
			f.Add(key+"kind", core.RequiredUpTo(core.MaxCode))
		}
		core.CheckText(f, key+"kind", o.Kind, core.MaxCode)
		core.CheckText(f, key+"product", o.Product, core.MaxCode)
	}
	return nil
}

func oneOf(v string, list []string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// CheckProcess names every fault of a process: at least one status, codes
// unique and well formed, names, steps whose from and to name existing
// statuses, fields of known types (a choice field with its choices) and
// documents of kind letter or email with their subject and body.
func CheckProcess(f core.Fields, p *Process) {
	switch {
	case len(p.Statuses) == 0:
		f.Add("statuses", core.Because("at_least_one"))
	case len(p.Statuses) > maxStatuses:
		f.Add("statuses", core.TooMany(maxStatuses))
	}
	if len(p.Steps) > maxSteps {
		f.Add("steps", core.TooMany(maxSteps))
	}
	statuses := map[string]bool{}
	for i := range p.Statuses {
		s := &p.Statuses[i]
		key := fmt.Sprintf("statuses[%d].", i)
		s.Code, s.NameFR, s.NameEN = strings.TrimSpace(s.Code), strings.TrimSpace(s.NameFR), strings.TrimSpace(s.NameEN)
		checkNames(f, key, s.Code, s.NameFR, &s.NameEN)
		if statuses[s.Code] {
			f.Add(key+"code", core.Because("taken"))
		}
		statuses[s.Code] = true
	}
	steps := map[string]bool{}
	for i := range p.Steps {
		s := &p.Steps[i]
		key := fmt.Sprintf("steps[%d].", i)
		s.Code, s.NameFR, s.NameEN, s.To = strings.TrimSpace(s.Code), strings.TrimSpace(s.NameFR), strings.TrimSpace(s.NameEN), strings.TrimSpace(s.To)
		checkNames(f, key, s.Code, s.NameFR, &s.NameEN)
		if steps[s.Code] {
			f.Add(key+"code", core.Because("taken"))
		}
		steps[s.Code] = true
		for j, from := range s.From {
			s.From[j] = strings.TrimSpace(from)
			if !statuses[s.From[j]] {
				f.Add(fmt.Sprintf("%sfrom[%d]", key, j), unknownStatus(s.From[j]))
			}
		}
		if !statuses[s.To] {
			f.Add(key+"to", unknownStatus(s.To))
		}
		checkFieldDefs(f, key, s)
		if d := s.Document; d != nil {
			dk := key + "document_template."
			d.Kind, d.Subject = strings.TrimSpace(d.Kind), strings.TrimSpace(d.Subject)
			if d.Kind != DocumentLetter && d.Kind != DocumentEmail {
				f.Add(dk+"kind", core.OneOf(DocumentLetter, DocumentEmail))
			}
			if d.Subject == "" {
				f.Add(dk+"subject", core.RequiredUpTo(core.MaxSubject))
			}
			core.CheckText(f, dk+"subject", d.Subject, core.MaxSubject)
			if strings.TrimSpace(d.Body) == "" {
				f.Add(dk+"body", core.RequiredUpTo(core.MaxLongText))
			}
			core.CheckText(f, dk+"body", d.Body, core.MaxLongText)
		}
	}
}

// unknownStatus is the reason of a step naming a status the process lacks.
func unknownStatus(code string) core.Reason {
	if _, bad := core.TextProblem(code, core.MaxCode); bad {
		code = ""
	}
	return core.Because("unknown_status", "status", code)
}

// checkFieldDefs checks a step's fields.
func checkFieldDefs(f core.Fields, key string, s *Step) {
	if len(s.Fields) > maxFields {
		f.Add(key+"fields", core.TooMany(maxFields))
	}
	codes := map[string]bool{}
	for k := range s.Fields {
		fd := &s.Fields[k]
		fk := fmt.Sprintf("%sfields[%d].", key, k)
		fd.Code, fd.LabelFR, fd.LabelEN, fd.Type = strings.TrimSpace(fd.Code), strings.TrimSpace(fd.LabelFR), strings.TrimSpace(fd.LabelEN), strings.TrimSpace(fd.Type)
		if !defCode.MatchString(fd.Code) {
			f.Add(fk+"code", core.Because("catalogue_code"))
		} else if codes[fd.Code] {
			f.Add(fk+"code", core.Because("taken"))
		}
		codes[fd.Code] = true
		checkName(f, fk+"label", fd.LabelFR)
		if fd.LabelEN == "" {
			fd.LabelEN = fd.LabelFR
		}
		core.CheckText(f, fk+"label_en", fd.LabelEN, core.MaxName)
		if !oneOf(fd.Type, FieldTypes) {
			f.Add(fk+"type", core.OneOf(FieldTypes...))
		}
		core.CheckRange(f, fk+"max", int64(fd.Max), 0, core.MaxLongText)
		if fd.Type != FieldChoice {
			fd.Choices = nil
			continue
		}
		switch {
		case len(fd.Choices) == 0:
			f.Add(fk+"choices", core.Because("choices_required"))
		case len(fd.Choices) > maxChoices:
			f.Add(fk+"choices", core.TooMany(maxChoices))
		}
		seen := map[string]bool{}
		for c, v := range fd.Choices {
			fd.Choices[c] = strings.TrimSpace(v)
			ck := fmt.Sprintf("%schoices[%d]", fk, c)
			switch {
			case fd.Choices[c] == "":
				f.Add(ck, core.RequiredUpTo(core.MaxName))
			case seen[fd.Choices[c]]:
				f.Add(ck, core.Because("taken"))
			}
			seen[fd.Choices[c]] = true
			core.CheckText(f, ck, fd.Choices[c], core.MaxName)
		}
	}
}

// SaveContactType adds or replaces a contact type of the establishment.
// Requires admin and the establishment in scope.
func (s *Store) SaveContactType(ctx context.Context, actor *core.Actor, establishmentCode string, t ContactType) (ContactType, error) {
	e, err := adminEstablishment(ctx, s.db, actor, establishmentCode)
	if err != nil {
		return ContactType{}, err
	}
	t.Code, t.NameFR, t.NameEN = strings.TrimSpace(t.Code), strings.TrimSpace(t.NameFR), strings.TrimSpace(t.NameEN)
	t.Medium, t.Reason, t.Classification = strings.TrimSpace(t.Medium), strings.TrimSpace(t.Reason), strings.TrimSpace(t.Classification)
	f := core.Fields{}
	checkNames(f, "", t.Code, t.NameFR, &t.NameEN)
	core.CheckText(f, "medium", t.Medium, core.MaxCode)
	core.CheckText(f, "reason", t.Reason, core.MaxCode)
	core.CheckText(f, "classification", t.Classification, core.MaxCode)
	core.CheckRange(f, "position", int64(t.Position), 0, maxPosition)
	if err := checkTemplate(ctx, s.db, f, &t.Template); err != nil {
		return ContactType{}, err
	}
	if err := f.Err(); err != nil {
		return ContactType{}, err
	}
	tmpl, err := json.Marshal(t.Template)
	if err != nil {
		return ContactType{}, err
	}
	t.EstablishmentID = e.ID
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		created, err := s.upsertDef(ctx, tx, "contact_types", e.ID, t.Code, &t.ID, &t.Active,
			[]string{"name_fr", "name_en", "medium", "reason", "classification", "template", "position"},
			[]any{t.NameFR, t.NameEN, t.Medium, t.Reason, t.Classification, string(tmpl), t.Position})
		if err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "contact_type.save", "contact_type", t.ID, "",
			map[string]any{"establishment": e.Code, "code": t.Code, "created": created})
	})
	if err != nil {
		return ContactType{}, err
	}
	return t, nil
}

// ContactTypes lists an establishment's contact types by position and
// name, inactive ones included (the "New contact" picker leaves them
// out). Requires case.manage or admin, and the establishment the agent's
// own or in scope.
func (s *Store) ContactTypes(ctx context.Context, actor *core.Actor, establishmentID, lang string) ([]ContactType, error) {
	if err := readableEstablishment(ctx, s.db, actor, establishmentID); err != nil {
		return nil, err
	}
	order := "name_fr"
	if lang == "en" {
		order = "name_en"
	}
	rows, err := s.db.Query(ctx, `SELECT id, establishment_id, code, name_fr, name_en, medium, reason, classification, template,
		position, active FROM contact_types WHERE establishment_id = ? ORDER BY position, `+order+`, code`, establishmentID)
	if err != nil {
		return nil, fmt.Errorf("contact types: %w", err)
	}
	defer rows.Close()
	out := []ContactType{}
	for rows.Next() {
		var t ContactType
		var tmpl string
		if err := rows.Scan(&t.ID, &t.EstablishmentID, &t.Code, &t.NameFR, &t.NameEN, &t.Medium, &t.Reason, &t.Classification,
			&tmpl, &t.Position, &t.Active); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(tmpl), &t.Template); err != nil {
			return nil, fmt.Errorf("contact type %s template: %w", t.Code, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveClassification adds or replaces a case classification of the
// establishment, its process checked (CheckProcess). Requires admin and
// the establishment in scope.
func (s *Store) SaveClassification(ctx context.Context, actor *core.Actor, establishmentCode string, c Classification) (Classification, error) {
	e, err := adminEstablishment(ctx, s.db, actor, establishmentCode)
	if err != nil {
		return Classification{}, err
	}
	c.Code, c.NameFR, c.NameEN = strings.TrimSpace(c.Code), strings.TrimSpace(c.NameFR), strings.TrimSpace(c.NameEN)
	f := core.Fields{}
	checkNames(f, "", c.Code, c.NameFR, &c.NameEN)
	core.CheckRange(f, "position", int64(c.Position), 0, maxPosition)
	CheckProcess(f, &c.Process)
	if err := checkTemplate(ctx, s.db, f, &c.Template); err != nil {
		return Classification{}, err
	}
	if err := f.Err(); err != nil {
		return Classification{}, err
	}
	process, err := json.Marshal(c.Process)
	if err != nil {
		return Classification{}, err
	}
	tmpl, err := json.Marshal(c.Template)
	if err != nil {
		return Classification{}, err
	}
	c.EstablishmentID = e.ID
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		created, err := s.upsertDef(ctx, tx, "case_classifications", e.ID, c.Code, &c.ID, &c.Active,
			[]string{"name_fr", "name_en", "process", "template", "position"},
			[]any{c.NameFR, c.NameEN, string(process), string(tmpl), c.Position})
		if err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "case_classification.save", "case_classification", c.ID, "",
			map[string]any{"establishment": e.Code, "code": c.Code, "created": created})
	})
	if err != nil {
		return Classification{}, err
	}
	return c, nil
}

// Classifications lists an establishment's case classifications by
// position and name, inactive ones included. Requires case.manage or
// admin, and the establishment the agent's own or in scope.
func (s *Store) Classifications(ctx context.Context, actor *core.Actor, establishmentID string) ([]Classification, error) {
	if err := readableEstablishment(ctx, s.db, actor, establishmentID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, "SELECT "+classificationColumns+
		" FROM case_classifications WHERE establishment_id = ? ORDER BY position, name_fr, code", establishmentID)
	if err != nil {
		return nil, fmt.Errorf("classifications: %w", err)
	}
	defer rows.Close()
	out := []Classification{}
	for rows.Next() {
		c, err := scanClassification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SavePlan adds or replaces an action plan of the establishment: at
// least one step, each due 0 to 365 business days after the launch, with
// a title, an assignee (case_agent, queue, launcher) and, when given, a
// unit of the establishment. Requires admin and the establishment in scope.
func (s *Store) SavePlan(ctx context.Context, actor *core.Actor, establishmentCode string, p ActionPlan) (ActionPlan, error) {
	e, err := adminEstablishment(ctx, s.db, actor, establishmentCode)
	if err != nil {
		return ActionPlan{}, err
	}
	p.Code, p.NameFR, p.NameEN = strings.TrimSpace(p.Code), strings.TrimSpace(p.NameFR), strings.TrimSpace(p.NameEN)
	f := core.Fields{}
	checkNames(f, "", p.Code, p.NameFR, &p.NameEN)
	switch {
	case len(p.Steps) == 0:
		f.Add("steps", core.Because("at_least_one"))
	case len(p.Steps) > maxPlanSteps:
		f.Add("steps", core.TooMany(maxPlanSteps))
	}
	assignees := []string{AssignCaseAgent, AssignQueue, AssignLauncher}
	for i := range p.Steps {
		st := &p.Steps[i]
		key := fmt.Sprintf("steps[%d].", i)
		st.Title, st.Kind, st.Assignee = strings.TrimSpace(st.Title), strings.TrimSpace(st.Kind), strings.TrimSpace(st.Assignee)
		st.UnitCode, st.MovesCaseTo = strings.TrimSpace(st.UnitCode), strings.TrimSpace(st.MovesCaseTo)
		core.CheckRange(f, key+"day", int64(st.Day), 0, maxPlanDay)
		checkName(f, key+"title", st.Title)
		core.CheckText(f, key+"description", st.Description, core.MaxLongText)
		if st.Kind == "" {
			st.Kind = TaskTask
		}
		if !oneOf(st.Kind, TaskKinds) {
			f.Add(key+"kind", core.OneOf(TaskKinds...))
		}
		if !oneOf(st.Assignee, assignees) {
			f.Add(key+"assignee", core.OneOf(assignees...))
		}
		core.CheckText(f, key+"moves_case_to", st.MovesCaseTo, core.MaxCode)
		if st.UnitCode == "" || !core.CheckText(f, key+"unit_code", st.UnitCode, core.MaxCode) {
			continue
		}
		ok, err := unitOfEstablishment(ctx, s.db, e.ID, st.UnitCode)
		if err != nil {
			return ActionPlan{}, err
		}
		if !ok {
			f.Add(key+"unit_code", core.Because("unknown_unit_code", "code", st.UnitCode))
		}
	}
	if err := f.Err(); err != nil {
		return ActionPlan{}, err
	}
	steps, err := json.Marshal(p.Steps)
	if err != nil {
		return ActionPlan{}, err
	}
	p.EstablishmentID = e.ID
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		created, err := s.upsertDef(ctx, tx, "action_plans", e.ID, p.Code, &p.ID, &p.Active,
			[]string{"name_fr", "name_en", "steps"}, []any{p.NameFR, p.NameEN, string(steps)})
		if err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "action_plan.save", "action_plan", p.ID, "",
			map[string]any{"establishment": e.Code, "code": p.Code, "created": created})
	})
	if err != nil {
		return ActionPlan{}, err
	}
	return p, nil
}

// Plans lists an establishment's action plans by name, inactive ones
// included. Requires case.manage or admin, and the establishment the
// agent's own or in scope.
func (s *Store) Plans(ctx context.Context, actor *core.Actor, establishmentID string) ([]ActionPlan, error) {
	if err := readableEstablishment(ctx, s.db, actor, establishmentID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT id, establishment_id, code, name_fr, name_en, steps, active FROM action_plans
		WHERE establishment_id = ? ORDER BY name_fr, code`, establishmentID)
	if err != nil {
		return nil, fmt.Errorf("action plans: %w", err)
	}
	defer rows.Close()
	out := []ActionPlan{}
	for rows.Next() {
		var p ActionPlan
		var steps string
		if err := rows.Scan(&p.ID, &p.EstablishmentID, &p.Code, &p.NameFR, &p.NameEN, &steps, &p.Active); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(steps), &p.Steps); err != nil {
			return nil, fmt.Errorf("action plan %s steps: %w", p.Code, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// unitOfEstablishment reports whether the unit of code belongs to the
// establishment.
func unitOfEstablishment(ctx context.Context, q db.Querier, establishmentID, code string) (bool, error) {
	var path string
	err := q.QueryRow(ctx, "SELECT path FROM units WHERE code = ?", code).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("unit %s: %w", code, err)
	}
	return rootOf(path) == establishmentID, nil
}

// upsertDef updates the definition of (establishment, code) in table with
// the columns' values, or inserts it active; it sets id and active to the
// row's and reports whether it was created. A concurrent insert of the
// same code is a Conflict.
func (s *Store) upsertDef(ctx context.Context, tx *db.Tx, table, establishmentID, code string, id *string, active *bool,
	cols []string, vals []any) (bool, error) {
	now := core.Millis(s.clock.Now())
	err := tx.QueryRow(ctx, "SELECT id, active FROM "+table+" WHERE establishment_id = ? AND code = ?", establishmentID, code).
		Scan(id, active)
	if err == nil {
		set := strings.Join(cols, " = ?, ") + " = ?, updated_at = ?"
		_, err = tx.Exec(ctx, "UPDATE "+table+" SET "+set+" WHERE id = ?", append(append(vals, now), *id)...)
		if err != nil {
			return false, fmt.Errorf("update %s %s: %w", table, code, err)
		}
		return false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("read %s %s: %w", table, code, err)
	}
	*id, *active = core.NewID(), true
	names := "id, establishment_id, code, " + strings.Join(cols, ", ") + ", active, created_at, updated_at"
	args := append(append([]any{*id, establishmentID, code}, vals...), true, now, now)
	_, err = tx.Exec(ctx, "INSERT INTO "+table+" ("+names+") VALUES ("+db.Placeholders(len(args))+")", args...)
	if db.IsUniqueViolation(err) {
		return false, &core.Error{Code: core.Conflict, Message: "a definition with this code was just saved: try again",
			Fields: core.Fields{"code": core.Because("taken")}}
	}
	if err != nil {
		return false, fmt.Errorf("insert %s %s: %w", table, code, err)
	}
	return true, nil
}
