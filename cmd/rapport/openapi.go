package main

import (
	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/web/api"
)

func newOpenAPICmd() *cobra.Command {
	var version string
	cmd := &cobra.Command{
		Use:   "openapi",
		Short: "Print the API's OpenAPI document",
		Long: "Print the OpenAPI document the server serves at /api/v1/openapi.json (3.1), or its 3.0 form " +
			"(/api/v1/openapi-3.0.json) for client generators that read only 3.0. No database is needed.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := api.Document(version)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(append(b, '\n'))
			return err
		},
	}
	cmd.Flags().StringVar(&version, "openapi-version", "3.1", "3.1, or 3.0 for generators that read only 3.0")
	return cmd
}
