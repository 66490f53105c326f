package jobs

import "errors"

// permanent marks a handler's error that no retry can cure (a receiver
// that refused the request itself): the job is failed at once.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err so that the attempt it ends fails its job for good
// instead of retrying it; nil stays nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err: err}
}

// IsPermanent reports whether err (or an error it wraps) was made by
// Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}
