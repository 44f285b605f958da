package runtime

import (
	"errors"
	"net/http"
	"testing"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// FuzzIdentify feeds arbitrary answers to the identification: it must never
// panic, and whatever it accepts must be named and carry a model list.
func FuzzIdentify(f *testing.F) {
	f.Add([]byte(`{"version":"0.6.5"}`), []byte(`{"models":[{"name":"a","size":1,"details":{"family":"llama"}}]}`), []byte(`{"data":[{"id":"x"}]}`), 200)
	f.Add([]byte(`{"version":"v2"}`), []byte(`{"data":[{"id":"m","state":"loaded"}]}`), []byte(`{"total_slots":1,"data":[{"id":"m","meta":{"size":5}}]}`), 200)
	f.Add([]byte(`{"error":"Unexpected endpoint"}`), []byte(`null`), []byte(`{"data":null}`), 200)
	f.Add([]byte(``), []byte(`[]`), []byte(`{"data":[{"id":"q","owned_by":"vllm","max_model_len":-1}]}`), 404)
	f.Fuzz(func(t *testing.T, version, lists, models []byte, status int) {
		a := map[string]answer{}
		for _, p := range []string{"/api/version", "/version", "/readyz"} {
			a[p] = answer{status: status, body: version}
		}
		for _, p := range []string{"/api/tags", "/api/ps", "/api/v0/models"} {
			a[p] = answer{status: http.StatusOK, body: lists}
		}
		for _, p := range []string{"/props", "/v1/models", "/health"} {
			a[p] = answer{status: http.StatusOK, body: models}
		}
		for _, portKind := range []string{"", KindJan} {
			rt, why := identify(candidate{url: "http://127.0.0.1:1", portKind: portKind}, a)
			if rt == nil {
				if why.ID == "" {
					t.Fatal("nothing identified and no reason given")
				}
				continue
			}
			if rt.Name == "" || rt.Kind == "" || rt.Models == nil {
				t.Fatalf("incomplete runtime %+v", rt)
			}
		}
	})
}
