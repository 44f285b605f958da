package collect

import "github.com/ki-reise/kicheck/internal/signing"

// NewTrust is the trust decision of an intake from what IT chose, the same
// for kicheck collect, kicheck serve and the Sammelstelle: with enroll, the
// first key seen per device id is trusted (an allowed_signers file is not
// read then); else the keys of allowedSigners (a file path, "" for none),
// and without either only devices enrolled earlier.
func NewTrust(allowedSigners string, enroll bool) (Trust, error) {
	t := Trust{Enroll: enroll}
	if allowedSigners == "" || enroll {
		return t, nil
	}
	a, err := signing.ReadAllowedSigners(allowedSigners)
	if err != nil {
		return t, err
	}
	t.AllowedSigners = a
	return t, nil
}
