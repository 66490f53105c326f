package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/demo"
)

func newDemoCmd() *cobra.Command {
	cfg := loadConfig()
	var fresh bool
	var parties int
	var imapAddr, smtpAddr string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Serve Rapport on a SQLite database seeded with a sample bank",
		Long: `Serve the UI on an embedded SQLite database (RAPPORT_DATA_DIR/demo.db) seeded with a
realistic sample organisation: one establishment, 2 regions, 6 agencies, a contact centre and a
back office, about 40 agents, 5,000 customers with their contracts, their contact history, and a
desk of a few hundred customer requests, and 150 leads of the last 30 days with the rules that
routed them. A mail server runs inside the demo (IMAP and SMTP on the
loopback, password "demo" for any address): the desk fetches its mailboxes from it and sends its
replies through it, so anyone can write to the desk as a customer with a mail client and read the
answers. Running it again reuses the data; --fresh starts afresh. The sign-ins and the mail
settings are printed at start.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := filepath.Join(cfg.DataDir, "demo.db")
			if fresh {
				for _, suffix := range []string{"", "-wal", "-shm"} {
					if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
						return err
					}
				}
			}
			a, err := app.Open(cmd.Context(), cfg, "sqlite:"+path)
			if err != nil {
				return err
			}
			defer a.Close()
			mailSrv, server, err := startDemoMail(a, imapAddr, smtpAddr)
			if err != nil {
				return err
			}
			defer mailSrv.Close()
			seeded, err := demo.IsSeeded(cmd.Context(), a.DB)
			if err != nil {
				return err
			}
			var sum demo.Summary
			if !seeded {
				start := time.Now()
				fmt.Fprintf(cmd.OutOrStdout(), "Seeding the demo bank in %s…\n", path)
				sum, err = demo.Seed(cmd.Context(), a.DB, a.Orgs, a.Parties, demo.Options{Parties: parties})
				if err != nil {
					return fmt.Errorf("seed demo data: %w", err)
				}
				stored, err := demo.SeedHistory(cmd.Context(), a.DB, a.History, a.Clock.Now())
				if err != nil {
					return fmt.Errorf("seed demo history: %w", err)
				}
				reports, orphans, err := demo.SeedReports(cmd.Context(), a.DB, a.History, a.Clock.Now())
				if err != nil {
					return fmt.Errorf("seed demo reports: %w", err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Seeded %d units, %d agents, %d parties, %d contracts, %d interactions, %d meeting reports (%d orphans) in %s.\n",
					sum.Units, sum.Agents, sum.Parties, sum.Contracts, stored, reports, orphans, time.Since(start).Round(time.Millisecond))
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "Reusing the demo data in %s (use --fresh to start afresh).\n", path)
				sum.Accounts = demo.Accounts()
			}
			deskSum, mailboxes, err := seedDemoDesk(cmd.Context(), a, server, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			if err := seedDemoCases(cmd.Context(), a, cmd.OutOrStdout()); err != nil {
				return err
			}
			if err := seedDemoLeads(cmd.Context(), a, cmd.OutOrStdout()); err != nil {
				return err
			}
			if err := seedDemoSurveys(cmd.Context(), a, cmd.OutOrStdout()); err != nil {
				return err
			}
			return a.Serve(cmd.Context(), func(url string) {
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "\nRapport demo is running at %s\n\nSign in as:\n", url)
				for _, acc := range sum.Accounts {
					fmt.Fprintf(out, "  %-16s password %-14s %s\n", acc.Login, acc.Password, acc.Description)
				}
				printDemoMail(out, server, mailboxes, deskSum.Queued)
				fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
			})
		},
	}
	cmd.Flags().StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on (RAPPORT_ADDR)")
	cmd.Flags().BoolVar(&fresh, "fresh", false, "delete the demo database and seed it again")
	cmd.Flags().IntVar(&parties, "parties", 5000, "number of customers to generate")
	cmd.Flags().StringVar(&imapAddr, "imap", "127.0.0.1:1143", "address of the demo mail server's IMAP side (a free port when taken)")
	cmd.Flags().StringVar(&smtpAddr, "smtp", "127.0.0.1:1025", "address of the demo mail server's SMTP side (a free port when taken)")
	return cmd
}
