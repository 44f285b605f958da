package hotspot

import (
	"fmt"
	"strings"
)

// SteckbriefText is the Steckbrief as plain text (`kicheck hotspot show`),
// the same content as the HTML and the PDF.
func SteckbriefText(pf *Portfolio, id string, cat *Catalogue, m Meta) (string, error) {
	h, ok := pf.Get(id)
	if !ok {
		return "", fmt.Errorf("steckbrief %q: %w", id, ErrNotFound)
	}
	v := steckbrief(*h, pf, cat, m)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n%s\n", v.Title, v.Sub, v.ClassLabel)
	sec := func(s string) { fmt.Fprintf(&b, "\n%s\n%s\n", s, strings.Repeat("-", len([]rune(s)))) }
	rows := func(rs [][2]string) {
		for _, r := range rs {
			fmt.Fprintf(&b, "  %s: %s\n", r[0], r[1])
		}
	}
	list := func(items []string, numbered bool) {
		for i, it := range items {
			if numbered {
				fmt.Fprintf(&b, "  %d. %s\n", i+1, it)
			} else {
				fmt.Fprintf(&b, "  - %s\n", it)
			}
		}
	}
	sec(v.H["task"])
	fmt.Fprintf(&b, "  %s\n", v.TaskText)
	if len(v.Steps) > 0 {
		fmt.Fprintf(&b, "  %s:\n", v.H["steps"])
		list(v.Steps, true)
	}
	sec(v.H["recommendation"])
	rows(v.Facts)
	for _, pl := range v.Places {
		fmt.Fprintf(&b, "  %s: %s\n", pl.Label, pl.Text)
	}
	sec(v.H["benefit"])
	rows(v.Benefit)
	list(v.Trace, false)
	sec(v.H["feasibility"])
	for _, r := range v.Parts {
		fmt.Fprintf(&b, "  %s: %s (%s)\n", r[0], r[1], r[2])
	}
	sec(v.H["legal"])
	rows(v.Legal)
	fmt.Fprintf(&b, "  %s:\n", v.H["basis"])
	list(v.Basis, false)
	fmt.Fprintf(&b, "  %s:\n", v.H["duties"])
	list(v.Duties, false)
	if len(v.Notes) > 0 {
		fmt.Fprintf(&b, "  %s:\n", v.H["notes"])
		list(v.Notes, false)
	}
	sec(v.H["next"])
	list(v.Next, true)
	fmt.Fprintf(&b, "\n%s\n", v.Footer)
	return b.String(), nil
}
