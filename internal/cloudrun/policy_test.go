package cloudrun_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/policy"
)

// TestPolicyRefusesBeforeAnythingIsSent: with consent and key, a run whose
// data class the policy forbids for the cloud sends nothing; with an AVV
// in the policy the same run goes through.
func TestPolicyRefusesBeforeAnythingIsSent(t *testing.T) {
	w := newWorld(t)
	b := testBundle(t, "true")
	consent := cloudrun.PlanFor(w.ep, b).Grant("test")
	req := cloudrun.Request{Endpoint: w.ep, Key: cloud.NewAPIKey(key), Bundle: b, Consent: consent, Repeat: 1, Warmup: -1, ClientOptions: fast(),
		DataClass: dataclass.Personal}
	res, err := cloudrun.Run(t.Context(), w.db, req)
	var re *policy.RefusedError
	if res != nil || !errors.As(err, &re) || re.Decision.Clause.ID != "cloud-ohne-avv" || !strings.Contains(err.Error(), "nichts gesendet") {
		t.Fatalf("res %v err %v", res, err)
	}
	if w.proxy.Connects.Load() != 0 || len(w.tls.AuthHeaders()) != 0 {
		t.Fatal("a connection was made although the policy forbids the run")
	}
	p := policy.Muster().Clone()
	for i := range p.Tools {
		if p.Tools[i].Kind == policy.KindCloud {
			p.Tools[i].AVV = true
		}
	}
	req.Policy = p
	res, err = cloudrun.Run(t.Context(), w.db, req)
	if err != nil || res == nil || res.RunID == 0 {
		t.Fatalf("with AVV: %v", err)
	}
}
