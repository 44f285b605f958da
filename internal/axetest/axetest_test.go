package axetest

import "testing"

// A page with known faults must show them: the check can fail.
func TestCheckFindsFaults(t *testing.T) {
	bad := []byte(`<!DOCTYPE html><html><head><title>x</title></head><body><img src="x.png"><div style="width:700px">x</div></body></html>`)
	good := []byte(`<!DOCTYPE html><html lang="de"><head><title>x</title><meta name="viewport" content="width=device-width"></head><body><main><h1>Hallo</h1><p>Text</p></main></body></html>`)
	res := Check(t, map[string][]byte{"bad.html": bad, "good.html": good})
	ids := map[string]bool{}
	for _, v := range res[0].Violations {
		ids[v.ID] = true
	}
	if res[0].Name != "bad.html" || !ids["html-has-lang"] || !ids["image-alt"] || res[0].ScrollWidth320 <= 320 {
		t.Errorf("bad page: %+v", res[0])
	}
	RequireClean(t, res[1:])
}
