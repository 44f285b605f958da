package cloud

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/zalando/go-keyring"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// KeyringService is the service name under which keys are stored in the
// OS credential store (shown as such in Windows' Anmeldeinformationsverwaltung).
const KeyringService = "KI-Check"

// APIKey is a secret. It prints as "[geheim]" with fmt's %v/%s/%q and in
// JSON, so that a key passed to a log line, an error or a report by
// mistake does not leak; only Reveal gives the value.
type APIKey struct{ v string }

// NewAPIKey wraps a key, trimming the spaces and line breaks that pasting
// often adds.
func NewAPIKey(s string) APIKey { return APIKey{v: strings.TrimSpace(s)} }

func (k APIKey) String() string   { return "[geheim]" }
func (k APIKey) GoString() string { return "cloud.APIKey{[geheim]}" }

// MarshalJSON never writes the key.
func (k APIKey) MarshalJSON() ([]byte, error) { return []byte(`"[geheim]"`), nil }

// Reveal returns the key for the Authorization header.
func (k APIKey) Reveal() string { return k.v }

// Empty reports whether no key is set.
func (k APIKey) Empty() bool { return k.v == "" }

// LoadKey returns the endpoint's key: from the environment variable named
// in KeyEnv if one is named, else from the OS credential store. getenv is
// os.Getenv outside tests.
func LoadKey(ep Endpoint, getenv func(string) string) (APIKey, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if ep.KeyEnv != "" {
		k := NewAPIKey(getenv(ep.KeyEnv))
		if k.Empty() {
			return APIKey{}, newError(i18n.Default, ErrNoKey, "cloud.error.key_env_empty", map[string]any{"Name": ep.KeyEnv}, nil)
		}
		return k, nil
	}
	v, err := keyring.Get(KeyringService, ep.KeyringUser())
	if errors.Is(err, keyring.ErrNotFound) {
		return APIKey{}, newError(i18n.Default, ErrNoKey, "cloud.error.no_key_stored", map[string]any{"Host": ep.Host()}, nil)
	}
	if err != nil {
		return APIKey{}, keyringError(err)
	}
	return NewAPIKey(v), nil
}

// ErrNoKeyFor is the refusal to send to host without an API key.
func ErrNoKeyFor(host string) error {
	return newError(i18n.Default, ErrNoKey, "cloud.error.no_key", map[string]any{"Host": host}, nil)
}

// SaveKey stores the key for the endpoint's host in the OS credential
// store. An empty key deletes it.
func SaveKey(ep Endpoint, key APIKey) error {
	if ep.Host() == "" {
		return fieldError("base_url", "key_without_url", nil)
	}
	if key.Empty() {
		err := keyring.Delete(KeyringService, ep.KeyringUser())
		if err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return keyringError(err)
		}
		return nil
	}
	if err := keyring.Set(KeyringService, ep.KeyringUser(), key.Reveal()); err != nil {
		return keyringError(err)
	}
	return nil
}

// HasStoredKey reports whether the credential store holds a key for ep.
func HasStoredKey(ep Endpoint) bool {
	_, err := keyring.Get(KeyringService, ep.KeyringUser())
	return err == nil
}

func keyringError(err error) error {
	return newError(i18n.Default, ErrNoKey, "cloud.error.keyring", nil, fmt.Errorf("keyring: %w", err))
}
