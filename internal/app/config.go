package app

import (
	"io"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
)

// Config is what the application is built from: the RAPPORT_* environment
// for the subcommands, set by hand in tests and the benchmark.
type Config struct {
	Addr          string // address serve and demo listen on
	DatabaseURL   string // postgres://… or sqlite:PATH; empty: a SQLite file in DataDir
	DataDir       string // where SQLite files and, for PostgreSQL, stored files live
	FilesDir      string // where attachments' contents are stored; empty: see FilesDirFor
	LogLevel      string // debug, info, warn or error
	SecureCookies bool   // session cookies marked Secure (served over HTTPS)
	SMTPURL       string // smtp://user:pass@host:port the outbox sends email through; empty: none
	WebhookSecret string // the HMAC key webhook receivers verify signatures with
	SecretKey     string // RAPPORT_SECRET_KEY seals mailbox passwords; empty: DataDir/secret.key, generated
	BaseURL       string // RAPPORT_BASE_URL, the address agents open, for links in emails; empty: http://Addr
	MailFrom      string // RAPPORT_MAIL_FROM, the sender of the application's own emails (lead alerts)
	// DurableTraces (RAPPORT_DURABLE_TRACES=true) makes consultation traces
	// wait for the disk on PostgreSQL like every change (db.DB.Traces).
	DurableTraces bool

	Clock  core.Clock   // nil: the system clock
	Logger *slog.Logger // nil: logs at LogLevel to Stderr
	Stderr io.Writer    // where the default logger writes; nil: discarded
}

// LoadConfig reads the RAPPORT_* variables through getenv (os.Getenv).
func LoadConfig(getenv func(string) string) Config {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	return Config{
		Addr:          env("RAPPORT_ADDR", "127.0.0.1:8080"),
		DatabaseURL:   getenv("RAPPORT_DATABASE_URL"),
		DataDir:       env("RAPPORT_DATA_DIR", "data"),
		FilesDir:      getenv("RAPPORT_FILES_DIR"),
		LogLevel:      env("RAPPORT_LOG_LEVEL", "info"),
		SecureCookies: env("RAPPORT_SECURE_COOKIES", "false") == "true",
		SMTPURL:       getenv("RAPPORT_SMTP_URL"),
		WebhookSecret: getenv("RAPPORT_WEBHOOK_SECRET"),
		SecretKey:     getenv("RAPPORT_SECRET_KEY"),
		BaseURL:       getenv("RAPPORT_BASE_URL"),
		MailFrom:      getenv("RAPPORT_MAIL_FROM"),
		DurableTraces: env("RAPPORT_DURABLE_TRACES", "false") == "true",
	}
}

// DSN returns the database to open: DatabaseURL, else the SQLite file
// named file in the data directory.
func (c Config) DSN(file string) string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return "sqlite:" + filepath.Join(c.DataDir, file)
}

// FilesDirFor is where the files of the database dsn are kept: FilesDir
// when set; beside a SQLite database (data/rapport.db: data/rapport-files),
// so the demo's and the real one's never mix; DataDir/files for
// PostgreSQL, a directory every instance must share.
func (c Config) FilesDirFor(dsn string) string {
	switch {
	case c.FilesDir != "":
		return c.FilesDir
	case strings.HasPrefix(dsn, "postgres"):
		return filepath.Join(c.DataDir, "files")
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	return strings.TrimSuffix(path, filepath.Ext(path)) + "-files"
}

// NewLogger returns the logger the configuration asks for: Logger when
// set, else text at LogLevel to Stderr.
func (c Config) NewLogger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(c.LogLevel))); err != nil {
		level = slog.LevelInfo
	}
	w := c.Stderr
	if w == nil {
		w = io.Discard
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// DescribeDSN names a database without its credentials, for logs.
func DescribeDSN(dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		if i := strings.LastIndex(dsn, "@"); i >= 0 {
			return "postgres://…" + dsn[i:]
		}
	}
	return dsn
}

// LinkBase is the address links in emails start with: BaseURL without its
// trailing slash, else http://Addr (127.0.0.1:8080 when Addr is empty).
func (c Config) LinkBase() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	addr := c.Addr
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	// An address listening on every interface names no host to link to.
	if host, port, err := net.SplitHostPort(addr); err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		addr = net.JoinHostPort("localhost", port)
	}
	return "http://" + addr
}

// Sender is the From of the application's own emails: MailFrom, else
// rapport@ the host of LinkBase (rapport@localhost for an address).
func (c Config) Sender() string {
	if c.MailFrom != "" {
		return c.MailFrom
	}
	host := "localhost"
	if u, err := url.Parse(c.LinkBase()); err == nil && u.Hostname() != "" && net.ParseIP(u.Hostname()) == nil {
		host = u.Hostname()
	}
	return "Rapport <rapport@" + host + ">"
}
