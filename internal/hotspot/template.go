package hotspot

import (
	"fmt"
	"strings"

	"github.com/ki-reise/kicheck/internal/aiact"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// Template file names written by `kicheck hotspot template`.
const (
	TemplateSheet  = "prozess-erhebung.csv"
	TemplateReadme = "prozess-erhebung-LIESMICH.txt"
)

// Template is the empty survey sheet, or, with examples, the catalogue's
// processes with their example values (marked in anmerkung).
func Template(c *Catalogue, examples bool) []byte {
	var rows []Process
	if examples {
		for _, p := range c.Processes {
			rows = append(rows, p.Survey())
		}
	}
	return WriteSheet(rows)
}

// Readme explains the sheet column by column in lang, with every valid
// value: the second "sheet" beside the template, as a text file (CRLF, so
// Notepad shows it).
func Readme(c *Catalogue, lang string) []byte {
	var b strings.Builder
	t := func(id string, kv ...any) string { return msg(id, kv...).Text(lang) }
	b.WriteString(t("readme.title") + "\n\n" + t("readme.intro") + "\n\n")
	for _, col := range AllColumns {
		req := t("readme.optional")
		for _, r := range Columns {
			if r == col {
				req = t("readme.required")
			}
		}
		fmt.Fprintf(&b, "%s (%s)\n  %s\n", col, req, t("readme.col."+col))
		switch col {
		case "ki_aufgabe":
			for _, tt := range c.TaskTypes {
				fmt.Fprintf(&b, "    %-16s %s. %s %s\n", tt.ID, tt.Title(lang), tt.Text(lang),
					t("readme.saving", "Percent", i18n.Decimal(lang, tt.SavingPercent, 0), "Source", tt.Source(lang)))
			}
		case "datenklasse":
			for _, d := range dataclass.All {
				fmt.Fprintf(&b, "    %-22s %s\n", d, d.Description().Text(lang))
			}
		case "wirkung":
			for _, e := range aiact.Effects {
				fmt.Fprintf(&b, "    %-14s %s\n", e, t("readme.effect."+string(e)))
			}
		case "bereich":
			for _, a := range aiact.Areas {
				fmt.Fprintf(&b, "    %-24s %s\n", a, i18n.Msg{ID: "aiact.area." + string(a) + ".desc"}.Text(lang))
			}
		case "ausnahme":
			for _, x := range aiact.Exceptions {
				fmt.Fprintf(&b, "    %-14s %s\n", x, x.Label().Text(lang))
			}
		case "verbot":
			for _, p := range aiact.Practices {
				fmt.Fprintf(&b, "    %-30s %s\n", p, p.Label().Text(lang))
			}
		case "anhang_iii_nummer":
			fmt.Fprintf(&b, "    %s\n", strings.Join(ids(aiact.Points), ", "))
		case "digitaler_eingang":
			fmt.Fprintf(&b, "    %s\n", strings.Join(DigitalInputs, ", "))
		case "datenqualitaet":
			fmt.Fprintf(&b, "    %s\n", strings.Join(DataQualities, ", "))
		}
		b.WriteString("\n")
	}
	b.WriteString(t("readme.format") + "\n\n" + t("readme.legal", "Stand", aiact.Stand) + "\n")
	return []byte(strings.ReplaceAll(b.String(), "\n", "\r\n"))
}
