package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/rapport-crm/rapport/internal/auth/password"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// SupportDisplayName is how agents of support units are shown to others.
const SupportDisplayName = "Support service"

// Locales lists the interface languages an agent can choose.
var Locales = []string{"fr", "en"}

// Agent is a user of Rapport (collaborateur, conseiller).
type Agent struct {
	ID             string     `json:"id"`
	Login          string     `json:"login"`
	Name           string     `json:"name"`
	Initials       string     `json:"initials"`
	Email          string     `json:"email"`
	UnitID         string     `json:"unit_id"`
	UnitCode       string     `json:"unit_code"`
	UnitName       string     `json:"unit_name"`
	Support        bool       `json:"support"` // the agent's unit is a support unit
	Roles          []string   `json:"roles"`
	ScopeUnitCodes []string   `json:"scope_unit_codes"` // empty: their own unit
	Locale         string     `json:"locale"`
	Active         bool       `json:"active"`
	CreatedAt      time.Time  `json:"created_at"`
	DeactivatedAt  *time.Time `json:"deactivated_at,omitempty"`
}

// DisplayName is the name others see: "Support service" for agents of
// support units, their own name otherwise.
func (a Agent) DisplayName() string {
	if a.Support {
		return SupportDisplayName
	}
	return a.Name
}

// AgentInput is what an administrator gives to create an agent. Password is
// optional: an agent without one signs in through single sign-on only.
type AgentInput struct {
	Login          string   `json:"login"`
	Name           string   `json:"name"`
	Initials       string   `json:"initials"`
	Email          string   `json:"email"`
	UnitCode       string   `json:"unit_code"`
	Roles          []string `json:"roles"`
	ScopeUnitCodes []string `json:"scope_unit_codes"`
	Password       string   `json:"password"`
	Locale         string   `json:"locale"`
}

// AgentUpdate changes the fields that are not nil. Administrators may change
// everything; agents may change their own Locale and Password only.
type AgentUpdate struct {
	Name           *string   `json:"name"`
	Initials       *string   `json:"initials"`
	Email          *string   `json:"email"`
	UnitCode       *string   `json:"unit_code"`
	Locale         *string   `json:"locale"`
	Password       *string   `json:"password"`
	Roles          *[]string `json:"roles"`
	ScopeUnitCodes *[]string `json:"scope_unit_codes"`
	Active         *bool     `json:"active"`
}

// Credentials is what signing in checks for a login.
type Credentials struct {
	AgentID      string
	PasswordHash string // empty when the agent has no password
	Active       bool
}

const agentColumns = `a.id, a.login, a.name, a.initials, a.email, a.unit_id, u.code, u.name, u.support,
	a.locale, a.active, a.created_at, a.deactivated_at
	FROM agents a JOIN units u ON u.id = a.unit_id`

func scanAgent(row interface{ Scan(...any) error }) (Agent, error) {
	var a Agent
	var created int64
	var deactivated sql.NullInt64
	if err := row.Scan(&a.ID, &a.Login, &a.Name, &a.Initials, &a.Email, &a.UnitID, &a.UnitCode, &a.UnitName,
		&a.Support, &a.Locale, &a.Active, &created, &deactivated); err != nil {
		return Agent{}, err
	}
	a.CreatedAt = core.FromMillis(created)
	if deactivated.Valid {
		t := core.FromMillis(deactivated.Int64)
		a.DeactivatedAt = &t
	}
	a.Roles, a.ScopeUnitCodes = []string{}, []string{}
	return a, nil
}

// AgentByLogin returns the agent with login, active or not, or NotFound.
func (s *Store) AgentByLogin(ctx context.Context, login string) (Agent, error) {
	return agentWhere(ctx, s.db, "a.login = ?", strings.ToLower(strings.TrimSpace(login)))
}

// Agent returns the details of the agent login to actor: an agent reads
// their own, an administrator anyone's; others get Forbidden.
func (s *Store) Agent(ctx context.Context, actor *core.Actor, login string) (Agent, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	if actor == nil || actor.Login != login {
		if err := actor.Require(core.PermAdmin); err != nil {
			return Agent{}, err
		}
	}
	return s.AgentByLogin(ctx, login)
}

// AgentByID returns the agent with id, active or not, or NotFound.
func (s *Store) AgentByID(ctx context.Context, id string) (Agent, error) {
	if !core.ValidID(id) {
		return Agent{}, core.Errorf(core.NotFound, "agent %s not found", id)
	}
	return agentWhere(ctx, s.db, "a.id = ?", id)
}

// Credentials returns the password hash and state of login, or NotFound.
// Only sign-in uses it; the hash never leaves the auth package.
func (s *Store) Credentials(ctx context.Context, login string) (Credentials, error) {
	var c Credentials
	login = strings.ToLower(strings.TrimSpace(login))
	err := s.db.QueryRow(ctx, "SELECT id, password_hash, active FROM agents WHERE login = ?", login).
		Scan(&c.AgentID, &c.PasswordHash, &c.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return Credentials{}, core.Errorf(core.NotFound, "agent %s not found", login)
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials of %s: %w", login, err)
	}
	return c, nil
}

func agentWhere(ctx context.Context, q db.Querier, cond, arg string) (Agent, error) {
	a, err := scanAgent(q.QueryRow(ctx, "SELECT "+agentColumns+" WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Agent{}, core.Errorf(core.NotFound, "agent %s not found", arg)
	}
	if err != nil {
		return Agent{}, fmt.Errorf("get agent %s: %w", arg, err)
	}
	agents := []Agent{a}
	if err := loadAccess(ctx, q, agents); err != nil {
		return Agent{}, err
	}
	return agents[0], nil
}

// loadAccess fills the roles and scope unit codes of agents.
func loadAccess(ctx context.Context, q db.Querier, agents []Agent) error {
	if len(agents) == 0 {
		return nil
	}
	index := make(map[string]int, len(agents))
	ids := make([]any, len(agents))
	for i, a := range agents {
		index[a.ID], ids[i] = i, a.ID
	}
	in := db.Placeholders(len(ids))
	rows, err := q.Query(ctx, "SELECT agent_id, role_code FROM agent_roles WHERE agent_id IN ("+in+") ORDER BY role_code", ids...)
	if err != nil {
		return fmt.Errorf("agents' roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, role string
		if err := rows.Scan(&id, &role); err != nil {
			return fmt.Errorf("agents' roles: %w", err)
		}
		agents[index[id]].Roles = append(agents[index[id]].Roles, role)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("agents' roles: %w", err)
	}
	rows.Close()
	rows, err = q.Query(ctx, `SELECT s.agent_id, u.code FROM agent_scopes s JOIN units u ON u.id = s.unit_id
		WHERE s.agent_id IN (`+in+") ORDER BY u.code", ids...)
	if err != nil {
		return fmt.Errorf("agents' scopes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, code string
		if err := rows.Scan(&id, &code); err != nil {
			return fmt.Errorf("agents' scopes: %w", err)
		}
		agents[index[id]].ScopeUnitCodes = append(agents[index[id]].ScopeUnitCodes, code)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("agents' scopes: %w", err)
	}
	return nil
}

// CreateAgent adds an agent. Initials default from the name; the scope
// defaults to the agent's own unit. A login already taken is a Conflict.
func (s *Store) CreateAgent(ctx context.Context, actor *core.Actor, in AgentInput) (Agent, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return Agent{}, err
	}
	in.Login = strings.ToLower(strings.TrimSpace(in.Login))
	in.Name, in.Email, in.UnitCode = strings.TrimSpace(in.Name), strings.TrimSpace(in.Email), strings.TrimSpace(in.UnitCode)
	in.Initials = strings.ToUpper(strings.TrimSpace(in.Initials))
	if in.Initials == "" {
		in.Initials = InitialsOf(in.Name)
	}
	if in.Locale == "" {
		in.Locale = Locales[0]
	}
	f := core.Fields{}
	if !loginPattern.MatchString(in.Login) {
		f.Add("login", core.Because("login"))
	}
	validateAgentFields(f, in.Name, in.Initials, in.Email, in.Locale)
	if !checkCodes(f, in.UnitCode, in.Roles, in.ScopeUnitCodes) {
		return Agent{}, f.Err()
	}
	if in.UnitCode == "" {
		f.Add("unit_code", core.Required())
	}
	var hash string
	if in.Password != "" {
		if err := password.Validate(in.Password); err != nil {
			addFields(f, err)
		} else if hash, err = password.Hash(in.Password); err != nil {
			return Agent{}, fmt.Errorf("create agent %s: %w", in.Login, err)
		}
	}
	var a Agent
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.actorsChanged(ctx, tx); err != nil {
			return err
		}
		unitID, err := unitIDOfCode(ctx, tx, in.UnitCode)
		if err != nil {
			return err
		}
		if unitID == "" && in.UnitCode != "" {
			f.Add("unit_code", core.Because("unknown_unit"))
		}
		roles, err := checkRoles(ctx, tx, f, in.Roles)
		if err != nil {
			return err
		}
		scope, err := scopeUnitIDs(ctx, tx, f, in.ScopeUnitCodes)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		id, now := core.NewID(), core.Millis(s.clock.Now())
		_, err = tx.Exec(ctx, `INSERT INTO agents (id, login, name, initials, email, unit_id, password_hash, locale, active, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, in.Login, in.Name, in.Initials, in.Email, unitID, hash, in.Locale, true, now, now)
		if db.IsUniqueViolation(err) {
			return &core.Error{Code: core.Conflict, Message: fmt.Sprintf("login %s is already taken", in.Login),
				Fields: core.Fields{"login": core.Because("taken")}}
		}
		if err != nil {
			return fmt.Errorf("create agent %s: %w", in.Login, err)
		}
		if err := setRoles(ctx, tx, id, roles); err != nil {
			return err
		}
		if err := setScope(ctx, tx, id, scope); err != nil {
			return err
		}
		if a, err = agentWhere(ctx, tx, "a.id = ?", id); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "agent.create", "agent", id, "", map[string]any{
			"login": a.Login, "name": a.Name, "initials": a.Initials, "email": a.Email, "unit_code": a.UnitCode,
			"roles": a.Roles, "scope_unit_codes": a.ScopeUnitCodes, "locale": a.Locale, "password_set": hash != ""})
	})
	if err != nil {
		return Agent{}, err
	}
	return a, nil
}

// InitialsOf derives initials from a name: the first letter of each word,
// hyphenated parts included ("Jean-Pierre Martin" → "JPM"), at most four.
func InitialsOf(name string) string {
	var b []rune
	words := strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '-' || r == '\'' })
	for _, w := range words {
		for _, r := range w {
			if unicode.IsLetter(r) {
				b = append(b, unicode.ToUpper(r))
			}
			break
		}
		if len(b) == 4 {
			break
		}
	}
	return string(b)
}

func validateAgentFields(f core.Fields, name, initials, email, locale string) {
	core.CheckText(f, "name", name, core.MaxName)
	core.CheckText(f, "initials", initials, core.MaxCode)
	core.CheckText(f, "email", email, core.MaxCoordinate)
	core.CheckText(f, "locale", locale, core.MaxCode)
	if name == "" || len(name) > 200 {
		f.Add("name", core.RequiredUpTo(200))
	}
	if initials == "" || len([]rune(initials)) > 8 {
		f.Add("initials", core.RequiredUpTo(8))
	}
	if email != "" {
		if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
			f.Add("email", core.Because("email"))
		}
	}
	if !slices.Contains(Locales, locale) {
		f.Add("locale", core.OneOf(Locales...))
	}
}

// addFields copies the field reasons of a core validation error into f.
func addFields(f core.Fields, err error) {
	var e *core.Error
	if errors.As(err, &e) {
		for k, v := range e.Fields {
			f.Add(k, v)
		}
	}
}

// unitIDOfCode returns the id of the unit with code, "" when there is none.
func unitIDOfCode(ctx context.Context, q db.Querier, code string) (string, error) {
	if code == "" {
		return "", nil
	}
	var id string
	err := q.QueryRow(ctx, "SELECT id FROM units WHERE code = ?", code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find unit %s: %w", code, err)
	}
	return id, nil
}

// checkRoles returns the distinct role codes, noting unknown ones in f.
func checkRoles(ctx context.Context, q db.Querier, f core.Fields, codes []string) ([]string, error) {
	var roles []string
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if slices.Contains(roles, c) {
			continue
		}
		var n int
		if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM roles WHERE code = ?", c).Scan(&n); err != nil {
			return nil, fmt.Errorf("check role %s: %w", c, err)
		}
		if n == 0 {
			f.Add("roles", core.Because("unknown_role", "role", c))
		}
		roles = append(roles, c)
	}
	return roles, nil
}

// scopeUnitIDs resolves scope unit codes to distinct ids, noting unknown ones in f.
func scopeUnitIDs(ctx context.Context, q db.Querier, f core.Fields, codes []string) ([]string, error) {
	var ids []string
	for _, c := range codes {
		c = strings.TrimSpace(c)
		id, err := unitIDOfCode(ctx, q, c)
		if err != nil {
			return nil, err
		}
		if id == "" {
			f.Add("scope_unit_codes", core.Because("unknown_unit_code", "code", c))
			continue
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func setRoles(ctx context.Context, q db.Querier, agentID string, roles []string) error {
	if _, err := q.Exec(ctx, "DELETE FROM agent_roles WHERE agent_id = ?", agentID); err != nil {
		return fmt.Errorf("set roles: %w", err)
	}
	for _, r := range roles {
		if _, err := q.Exec(ctx, "INSERT INTO agent_roles (agent_id, role_code) VALUES (?, ?)", agentID, r); err != nil {
			return fmt.Errorf("set roles: %w", err)
		}
	}
	return nil
}

func setScope(ctx context.Context, q db.Querier, agentID string, unitIDs []string) error {
	if _, err := q.Exec(ctx, "DELETE FROM agent_scopes WHERE agent_id = ?", agentID); err != nil {
		return fmt.Errorf("set scope: %w", err)
	}
	for _, id := range unitIDs {
		if _, err := q.Exec(ctx, "INSERT INTO agent_scopes (agent_id, unit_id) VALUES (?, ?)", agentID, id); err != nil {
			return fmt.Errorf("set scope: %w", err)
		}
	}
	return nil
}

// checkCodes refuses codes that could not name anything: not UTF-8, a NUL
// byte, too long; it reports whether they may be looked up.
func checkCodes(f core.Fields, unitCode string, roles, scopeUnitCodes []string) bool {
	ok := core.CheckText(f, "unit_code", unitCode, core.MaxCode)
	ok = core.CheckTexts(f, "roles", roles, core.MaxCode) && ok
	return core.CheckTexts(f, "scope_unit_codes", scopeUnitCodes, core.MaxCode) && ok
}
