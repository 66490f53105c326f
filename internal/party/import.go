package party

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
)

// ImportResult counts what an import did with the rows it read.
type ImportResult struct {
	Read      int `json:"read"`
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
}

// importBatch is how many rows an import writes per transaction: larger
// transactions write each index page they touch fewer times.
const importBatch = 5000

// sourceRow is one row of an import file, before it is understood.
type sourceRow struct {
	line   int
	raw    string
	rec    []string       // CSV: the row's fields
	header map[string]int // CSV: column name → index in rec
	json   []byte         // NDJSON: the row's object
	err    error          // why the row could not even be read
}

// get returns the CSV field of column name, trimmed, or "".
func (r *sourceRow) get(name string) string {
	i, ok := r.header[name]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// rowReader yields the rows of an import file, io.EOF at the end.
type rowReader interface {
	next() (sourceRow, error)
}

// newRowReader opens r in format "csv" (header row of known columns) or
// "ndjson"; a bad format or header is a BadRequest error.
func newRowReader(r io.Reader, format string, columns []string) (rowReader, error) {
	switch strings.ToLower(format) {
	case "csv":
		return newCSVRows(r, columns)
	case "ndjson", "jsonl":
		return &ndjsonRows{r: bufio.NewReaderSize(r, 1<<16)}, nil
	}
	return nil, core.Errorf(core.BadRequest, "unknown import format %q: csv or ndjson", format)
}

type csvRows struct {
	r      *csv.Reader
	header map[string]int
	width  int
}

func newCSVRows(r io.Reader, columns []string) (*csvRows, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, core.Errorf(core.BadRequest, "empty file: a header row is expected")
	}
	if err != nil {
		return nil, &core.Error{Code: core.BadRequest, Message: "unreadable header row", Err: err}
	}
	c := &csvRows{r: cr, header: map[string]int{}, width: len(head)}
	for i, name := range head {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if !slices.Contains(columns, name) {
			return nil, core.Errorf(core.BadRequest, "unknown column %q; columns are %s", name, strings.Join(columns, ","))
		}
		c.header[name] = i
	}
	return c, nil
}

func (c *csvRows) next() (sourceRow, error) {
	rec, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return sourceRow{}, io.EOF
	}
	line, _ := c.r.FieldPos(0)
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return sourceRow{line: pe.StartLine, err: fmt.Errorf("unreadable CSV: %w", pe.Err)}, nil
	}
	if err != nil {
		return sourceRow{}, fmt.Errorf("read import file: %w", err)
	}
	row := sourceRow{line: line, rec: rec, header: c.header, raw: csvLine(rec)}
	if len(rec) != c.width {
		row.err = fmt.Errorf("%d fields, the header has %d", len(rec), c.width)
	}
	return row, nil
}

// csvLine re-encodes a record as one CSV line, without the line break.
func csvLine(rec []string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(rec)
	w.Flush()
	return strings.TrimRight(b.String(), "\r\n")
}

type ndjsonRows struct {
	r    *bufio.Reader
	line int
}

func (n *ndjsonRows) next() (sourceRow, error) {
	for {
		text, err := n.r.ReadBytes('\n')
		if len(text) == 0 && errors.Is(err, io.EOF) {
			return sourceRow{}, io.EOF
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return sourceRow{}, fmt.Errorf("read import file: %w", err)
		}
		n.line++
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			continue
		}
		return sourceRow{line: n.line, raw: string(text), json: text}, nil
	}
}

// rejectWriter writes refused rows as CSV lines "line,reason,raw" under a
// header line, to a writer that may be nil.
type rejectWriter struct {
	w       *csv.Writer
	started bool
}

func newRejectWriter(w io.Writer) *rejectWriter {
	if w == nil {
		return &rejectWriter{}
	}
	return &rejectWriter{w: csv.NewWriter(w)}
}

func (r *rejectWriter) write(line int, reason, raw string) {
	if r.w == nil {
		return
	}
	if !r.started {
		_ = r.w.Write([]string{"line", "reason", "raw"})
		r.started = true
	}
	_ = r.w.Write([]string{strconv.Itoa(line), reason, raw})
}

func (r *rejectWriter) flush() error {
	if r.w == nil {
		return nil
	}
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		return fmt.Errorf("write rejected rows: %w", err)
	}
	return nil
}

// parseBool reads a yes/no field of a CSV import.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false", "no", "non", "n", "f":
		return false, true
	case "1", "true", "yes", "oui", "y", "o", "t":
		return true, true
	}
	return false, false
}
