package i18n

import "testing"

func TestDatePerLanguage(t *testing.T) {
	d, err := ParseDate("2026-12-04")
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"de": "04.12.2026", "en": "4 Dec 2026"} {
		if got := d.Text(lang); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := (Date{}).Text("de"); got != "–" {
		t.Errorf("zero date: %q", got)
	}
	if _, err := ParseDate("4.12.2026"); err == nil {
		t.Error("a German date was read as ISO")
	}
}
