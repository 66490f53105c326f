package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

type rolesPage struct {
	adminBase
	Roles       []org.Role
	Permissions []core.Permission
	New         org.Role
}

// shippedRoleNames are the names the built-in roles are created with; a
// role still so named is shown in the page's language.
var shippedRoleNames = map[string]string{"admin": "Administrator", "advisor": "Advisor", "manager": "Manager",
	"backoffice": "Back office", "viewer": "Read only"}

// RoleName is the name a role is shown by: an administrator's own, else
// the built-in role's name in the page's language.
func (p page) RoleName(role org.Role) string {
	if role.Builtin && shippedRoleNames[role.Code] == role.Name {
		return p.T("role." + role.Code)
	}
	return role.Name
}

// RoleLabel names a role known by its code: a built-in role in the page's
// language, another by its code.
func (p page) RoleLabel(code string) string {
	if _, ok := shippedRoleNames[code]; ok {
		return p.T("role." + code)
	}
	return code
}

// Holds reports whether role grants perm, for the permission grid.
func (rolesPage) Holds(role org.Role, perm core.Permission) bool {
	return slices.Contains(role.Permissions, perm)
}

func (s *server) adminRoles(w http.ResponseWriter, r *http.Request) {
	s.showRoles(w, r, http.StatusOK, org.Role{}, "", nil)
}

func (s *server) showRoles(w http.ResponseWriter, r *http.Request, status int, typed org.Role, msg string, fields core.Fields) {
	roles, err := s.Orgs.ListRoles(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := rolesPage{adminBase: s.adminPage(r, "admin.roles", "roles"), Roles: roles,
		Permissions: core.OfferedPermissions, New: typed}
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_roles", "", p)
}

// adminRoleSave creates a role or replaces an existing role's name and
// permissions; each role of the grid is its own form.
func (s *server) adminRoleSave(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	role := org.Role{Code: strings.TrimSpace(r.FormValue("code")), Name: r.FormValue("name")}
	for _, p := range r.Form["permissions"] {
		role.Permissions = append(role.Permissions, core.Permission(p))
	}
	// The permissions of features not offered yet stay as they were.
	if roles, err := s.Orgs.ListRoles(r.Context()); err == nil {
		for _, old := range roles {
			if old.Code != role.Code {
				continue
			}
			for _, p := range old.Permissions {
				if !slices.Contains(core.OfferedPermissions, p) && !slices.Contains(role.Permissions, p) {
					role.Permissions = append(role.Permissions, p)
				}
			}
		}
	}
	if err := s.Orgs.SaveRole(r.Context(), core.ActorFrom(r.Context()), role); err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showRoles(w, r, status, role, role.Code+": "+msg, fields)
		})
		return
	}
	p := s.newPage(r, "admin.roles")
	s.redirect(w, r, "/admin/roles", p.T("admin.saved"))
}

func (s *server) adminRoleDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.Orgs.DeleteRole(r.Context(), core.ActorFrom(r.Context()), r.PathValue("code")); err != nil {
		if c := core.ErrorCode(err); c == core.Conflict || c == core.Invalid {
			s.showRoles(w, r, http.StatusConflict, org.Role{}, core.ErrorMessage(err), nil)
			return
		}
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "admin.roles")
	s.redirect(w, r, "/admin/roles", p.T("admin.role_deleted"))
}
