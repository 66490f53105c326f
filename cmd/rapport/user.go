package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

func newUserCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Create agents or reset their password"}
	cmd.AddCommand(newUserCreateCmd(), newUserResetCmd())
	return cmd
}

func newUserCreateCmd() *cobra.Command {
	var in org.AgentInput
	var roles, scope string
	cmd := &cobra.Command{
		Use:   "create --login L --name N --password P --roles admin [--unit CODE]",
		Short: "Create an agent",
		Long: `Create an agent who can sign in. Built-in roles: admin (everything, whole organisation),
advisor, manager, backoffice, viewer. Without --unit the agent joins the first establishment,
which is created (code HQ) when the database has no unit yet.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd.Context(), func(a *app.App) error {
				if in.UnitCode == "" {
					unit, err := defaultUnit(cmd, a)
					if err != nil {
						return err
					}
					in.UnitCode = unit
				}
				in.Roles = splitList(roles)
				in.ScopeUnitCodes = splitList(scope)
				ag, err := a.Orgs.CreateAgent(cmd.Context(), core.System(), in)
				if err != nil {
					return describe(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "agent %s created in unit %s with roles %s\n", ag.Login, ag.UnitCode, strings.Join(ag.Roles, ","))
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Login, "login", "", "sign-in login (required)")
	f.StringVar(&in.Name, "name", "", "full name (required)")
	f.StringVar(&in.Password, "password", "", "password, at least 8 characters")
	f.StringVar(&roles, "roles", "advisor", "comma-separated roles")
	f.StringVar(&in.UnitCode, "unit", "", "code of the agent's unit")
	f.StringVar(&scope, "scope", "", "comma-separated unit codes the agent sees (default: their unit)")
	f.StringVar(&in.Email, "email", "", "email address")
	f.StringVar(&in.Locale, "locale", "fr", "UI language: fr or en")
	cmd.MarkFlagRequired("login")
	cmd.MarkFlagRequired("name")
	return cmd
}

// defaultUnit returns the first establishment, creating one on an empty
// database so that the very first administrator can be created.
func defaultUnit(cmd *cobra.Command, a *app.App) (string, error) {
	units, err := a.Orgs.ListUnits(cmd.Context())
	if err != nil {
		return "", err
	}
	for _, u := range units {
		if u.Kind == "establishment" {
			return u.Code, nil
		}
	}
	u, err := a.Orgs.CreateUnit(cmd.Context(), core.System(), org.UnitInput{Code: "HQ", Name: "Head office", Kind: "establishment"})
	if err != nil {
		return "", describe(err)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "no unit yet: created establishment %s\n", u.Code)
	return u.Code, nil
}

func newUserResetCmd() *cobra.Command {
	var login, password string
	cmd := &cobra.Command{
		Use:   "reset --login L --password P",
		Short: "Set a new password for an agent",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd.Context(), func(a *app.App) error {
				if _, err := a.Orgs.UpdateAgent(cmd.Context(), core.System(), login, org.AgentUpdate{Password: &password}); err != nil {
					return describe(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "password of %s reset\n", login)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&login, "login", "", "the agent's login (required)")
	cmd.Flags().StringVar(&password, "password", "", "the new password, at least 8 characters (required)")
	cmd.MarkFlagRequired("login")
	cmd.MarkFlagRequired("password")
	return cmd
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// describe turns a domain error into a message for the terminal, with the
// fields at fault.
func describe(err error) error {
	var e *core.Error
	if ce, ok := err.(*core.Error); ok {
		e = ce
	}
	if e == nil || len(e.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for k, v := range e.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", k, v)
	}
	return fmt.Errorf("%s", b.String())
}
