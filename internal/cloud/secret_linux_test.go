//go:build linux

package cloud_test

import (
	"errors"
	"os"
	"testing"

	ss "github.com/zalando/go-keyring/secret_service"

	"github.com/ki-reise/kicheck/internal/cloud"
)

// TestRealSecretService stores, reads and deletes a key in a real Secret
// Service (GNOME Keyring), started by scripts/secret-service.sh in a
// private D-Bus session, and checks over D-Bus that the item really is in
// the login keyring. It skips when that script did not start one.
func TestRealSecretService(t *testing.T) {
	if os.Getenv("KICHECK_SECRET_SERVICE") != "1" {
		t.Skip("no real Secret Service: run scripts/secret-service.sh go test ./internal/cloud -run TestRealSecretService")
	}
	ep := cloud.Endpoint{BaseURL: "https://secret-service.test/v1", Model: "m"}
	if err := cloud.SaveKey(ep, cloud.NewAPIKey("sk-real-keyring")); err != nil {
		t.Fatalf("save in the Secret Service: %v", err)
	}
	t.Cleanup(func() { cloud.SaveKey(ep, cloud.APIKey{}) })

	svc, err := ss.NewSecretService()
	if err != nil {
		t.Fatalf("connect to the Secret Service: %v", err)
	}
	items, err := svc.SearchItems(svc.GetLoginCollection(), map[string]string{"service": cloud.KeyringService, "username": ep.KeyringUser()})
	if err != nil || len(items) != 1 {
		t.Fatalf("items in the login keyring for KI-Check = %v (%v), want 1", items, err)
	}

	k, err := cloud.LoadKey(ep, nil)
	if err != nil || k.Reveal() != "sk-real-keyring" {
		t.Fatalf("load = %v, %v", k, err)
	}
	if err := cloud.SaveKey(ep, cloud.APIKey{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.LoadKey(ep, nil); !errors.Is(err, cloud.ErrNoKey) {
		t.Fatalf("after delete: %v", err)
	}
}
