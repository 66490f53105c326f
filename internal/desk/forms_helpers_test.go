package desk_test

import (
	"errors"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
)

func asError(err error, e **core.Error) bool { return errors.As(err, e) }

func fieldsOf(err error) core.Fields {
	var e *core.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func err2(_ desk.Request, err error) error { return err }
