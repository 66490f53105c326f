package mail

import "strings"

// autoReasons says whether a message was sent by a program rather than a
// person, and which headers say so (see the package comment for the rules).
func autoReasons(h header, root *node) (bool, string) {
	var why []string
	if v := headerToken(h.Get("Auto-Submitted")); v != "" && v != "no" {
		why = append(why, "Auto-Submitted: "+v)
	}
	for _, name := range []string{"X-Autoreply", "X-Autorespond"} {
		if v := strings.TrimSpace(h.Get(name)); v != "" {
			why = append(why, name+": "+oneLine(clean(v)))
		}
	}
	switch v := headerToken(h.Get("Precedence")); v {
	case "bulk", "junk", "list", "auto_reply":
		why = append(why, "Precedence: "+v)
	}
	if strings.TrimSpace(h.Get("Return-Path")) == "<>" {
		why = append(why, "null Return-Path <>")
	}
	if root != nil {
		if kind := reportType(root); kind != "" {
			why = append(why, "report: "+kind)
		}
	}
	return len(why) > 0, strings.Join(why, "; ")
}

// headerToken is a header's first word, lower-cased, without parameters or
// comments: "auto-replied; owner-email=..." gives "auto-replied".
func headerToken(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, ";( \t"); i >= 0 {
		v = v[:i]
	}
	return strings.ToLower(clean(v))
}

// reportType is the report-type of a multipart/report message (a delivery
// status, a read receipt), "" when it is none.
func reportType(root *node) string {
	if root.contentType != "multipart/report" {
		return ""
	}
	_, params, _ := parseType(root.header.Get("Content-Type"))
	kind := strings.ToLower(strings.TrimSpace(params["report-type"]))
	if kind == "" {
		return "unknown"
	}
	return clean(kind)
}
