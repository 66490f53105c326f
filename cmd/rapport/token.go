package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
)

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens for integrations"}
	var name, agent, expires string
	create := &cobra.Command{
		Use:   "create --name NAME --agent LOGIN [--expires 90d]",
		Short: "Create an API token and print it (only the token, on one line)",
		Long: "Create a bearer token that acts with the agent's roles and scope. It is printed once; only its hash is stored.\n" +
			"With --expires it stops working after that lifetime (90d, 12h) or on that date (2027-03-01); without, it works until revoked.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd.Context(), func(a *app.App) error {
				until, err := a.Auth.ExpiryIn(expires)
				if err != nil {
					return describe(err)
				}
				tok, _, err := a.Auth.CreateTokenUntil(cmd.Context(), core.System(), name, agent, until)
				if err != nil {
					return describe(err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), tok)
				return nil
			})
		},
	}
	create.Flags().StringVar(&name, "name", "", "what the token is for, e.g. telephony (required)")
	create.Flags().StringVar(&agent, "agent", "", "login of the agent the token acts as (required)")
	create.Flags().StringVar(&expires, "expires", "", "lifetime (90d, 12h) or last date (YYYY-MM-DD); never expires when omitted")
	create.MarkFlagRequired("name")
	create.MarkFlagRequired("agent")
	cmd.AddCommand(create)
	return cmd
}
