package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
)

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens for integrations"}
	var name, agent string
	create := &cobra.Command{
		Use:   "create --name NAME --agent LOGIN",
		Short: "Create an API token and print it (only the token, on one line)",
		Long:  "Create a bearer token that acts with the agent's roles and scope. It is printed once; only its hash is stored.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd.Context(), func(a *app.App) error {
				tok, err := a.Auth.CreateToken(cmd.Context(), core.System(), name, agent)
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
	create.MarkFlagRequired("name")
	create.MarkFlagRequired("agent")
	cmd.AddCommand(create)
	return cmd
}
