package dataclass

import (
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/i18n"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Class
		err  bool
	}{
		{"oeffentlich", Public, false},
		{" Personenbezogen ", Personal, false},
		{"vs_nfd", Classified, false},
		{"geheim", "", true},
		{"", "", true},
	} {
		got, err := Parse(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.err)
		}
		if err != nil && !strings.Contains(err.Error(), "sozialdaten") {
			t.Errorf("Parse(%q) error %q does not list the valid ids", tc.in, err)
		}
	}
}

func TestEveryClassHasTextsInBothLanguages(t *testing.T) {
	for _, c := range All {
		for _, lang := range []string{"de", "en"} {
			for _, m := range []i18n.Msg{c.Label(), c.Description()} {
				if _, ok := i18n.Catalog(lang)[m.ID]; !ok {
					t.Errorf("%s: no %s text for %s", c, lang, m.ID)
				}
			}
		}
	}
}

func TestPersonalData(t *testing.T) {
	want := map[Class]bool{Public: false, Internal: false, Personal: true, SpecialCat: true, SocialData: true, Classified: false}
	for c, w := range want {
		if c.PersonalData() != w {
			t.Errorf("%s.PersonalData() = %v, want %v", c, !w, w)
		}
	}
}
