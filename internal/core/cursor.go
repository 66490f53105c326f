package core

import (
	"encoding/base64"
	"encoding/json"
)

// EncodeCursor turns keyset values into an opaque cursor string.
func EncodeCursor(values ...any) string {
	b, _ := json.Marshal(values)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor into dst pointers, in
// order. A malformed cursor is a BadRequest error.
func DecodeCursor(cursor string, dst ...any) error {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return Errorf(BadRequest, "malformed cursor")
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || len(raw) != len(dst) {
		return Errorf(BadRequest, "malformed cursor")
	}
	for i := range dst {
		if err := json.Unmarshal(raw[i], dst[i]); err != nil {
			return Errorf(BadRequest, "malformed cursor")
		}
	}
	return nil
}

// PageLimit clamps a requested page size to [1, max], defaulting to def.
func PageLimit(requested, def, max int) int {
	switch {
	case requested <= 0:
		return def
	case requested > max:
		return max
	}
	return requested
}
