package hotspot

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

var testTasks = []string{"entwerfen", "extrahieren", "klassifizieren", "leichte_sprache", "recherchieren", "transkribieren", "uebersetzen", "zusammenfassen"}

func readTestSheet(t *testing.T, name string) *Sheet {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh, ps := ReadSheet("testdata/"+name, f, testTasks)
	if ps != nil {
		t.Fatalf("%s: %v", name, ps)
	}
	return sh
}

func TestReadExcelSheet(t *testing.T) {
	raw, err := os.ReadFile("testdata/sozialamt-excel.csv")
	if err != nil {
		t.Fatal(err)
	}
	// The file is what Excel writes: Windows-1252, ';', CRLF.
	if !bytes.Contains(raw, []byte("Antr\xe4ge")) || !bytes.Contains(raw, []byte("\r\n")) {
		t.Fatal("testdata/sozialamt-excel.csv is not Windows-1252 with CRLF")
	}
	sh := readTestSheet(t, "sozialamt-excel.csv")
	if sh.Encoding != EncWindows1252 || len(sh.Rows) != 12 {
		t.Fatalf("encoding %s, %d rows", sh.Encoding, len(sh.Rows))
	}
	p := sh.Rows[0]
	if p.ID != "so-01" || p.Name != "Wohngeld-Anträge nach Thema vorsortieren" || p.CasesPerYear != 3500 || p.MinutesPerCase != 5 ||
		p.TextSharePercent != 80 || p.Task != "klassifizieren" || p.DataClass != "sozialdaten" || p.Area != "oeffentliche_leistungen" ||
		p.Exception != "vorbereitung" || !p.ExceptionDocumented || p.DigitalInput != "ja" || p.Source.Line != 2 {
		t.Errorf("row 1: %+v", p)
	}
	if last := sh.Rows[11]; last.MinutesPerCase != 7.5 || last.Source.Line != 13 {
		t.Errorf("row 12: minutes %v line %d", last.MinutesPerCase, last.Source.Line)
	}
	if len(sh.Ignored) != 0 {
		t.Errorf("ignored %v", sh.Ignored)
	}
}

func TestEncodingsReadTheSame(t *testing.T) {
	utf := "id;prozess;organisationseinheit;leika;faelle_pro_jahr;minuten_pro_fall;textanteil_prozent;ki_aufgabe;datenklasse;wirkung;bereich;profiling;anmerkung;Farbe\n" +
		"x-1;Gebührenbescheide prüfen;Kämmerei;99123456789012;1.200;7,5;80 %;Extrahieren;intern;vorbereitend;keiner;Nein;„Maß“;blau\n"
	cp, err := charmap.Windows1252.NewEncoder().String(utf)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, data, enc string
	}{
		{"utf8", utf, EncUTF8},
		{"bom", "\xEF\xBB\xBF" + utf, EncUTF8BOM},
		{"cp1252", cp, EncWindows1252},
		{"crlf", strings.ReplaceAll(cp, "\n", "\r\n"), EncWindows1252},
	} {
		sh, ps := ReadSheet(tc.name+".csv", strings.NewReader(tc.data), testTasks)
		if ps != nil {
			t.Fatalf("%s: %v", tc.name, ps)
		}
		p := sh.Rows[0]
		if sh.Encoding != tc.enc || p.Name != "Gebührenbescheide prüfen" || p.Unit != "Kämmerei" || p.Note != "„Maß“" ||
			p.CasesPerYear != 1200 || p.MinutesPerCase != 7.5 || p.TextSharePercent != 80 || p.Task != "extrahieren" || p.LeiKa != "99123456789012" {
			t.Errorf("%s: %s %+v", tc.name, sh.Encoding, p)
		}
		if len(sh.Ignored) != 1 || sh.Ignored[0] != "farbe" {
			t.Errorf("%s: ignored %v", tc.name, sh.Ignored)
		}
	}
}

const goodHeader = "id;prozess;organisationseinheit;leika;faelle_pro_jahr;minuten_pro_fall;textanteil_prozent;ki_aufgabe;datenklasse;wirkung;bereich;profiling;anmerkung"
const goodRow = "a-1;Anträge;Amt;;100;10;50;klassifizieren;intern;vorbereitend;keiner;nein;"

// TestBadInput is the list of bad input: each gives file, line,
// column and what to do, and no rows.
func TestBadInput(t *testing.T) {
	row := func(col, v string) string {
		cells := strings.Split(goodRow, ";")
		for i, c := range strings.Split(goodHeader, ";") {
			if c == col {
				cells[i] = v
			}
		}
		return goodHeader + "\r\n" + strings.Join(cells, ";") + "\r\n"
	}
	cases := []struct {
		name, data string
		line       int
		column     string // "" = whole row or file
		msg        string // message id
	}{
		{"comma separator", strings.ReplaceAll(goodHeader+"\n"+goodRow, ";", ","), 1, "", "hotspot.err.separator"},
		{"tab separator", strings.ReplaceAll(goodHeader+"\n"+goodRow, ";", "\t"), 1, "", "hotspot.err.separator"},
		{"utf-16", "\xFF\xFEi\x00d\x00", 0, "", "hotspot.err.utf16"},
		{"mixed encoding", goodHeader + "\nb-1;Ger\xe4t \xc3\xa4;Amt;;1;1;1;klassifizieren;intern;vorbereitend;keiner;nein;\n", 2, "", "hotspot.err.mixed_encoding"},
		{"undefined byte", goodHeader + "\nb-1;x\x81;Amt;;1;1;1;klassifizieren;intern;vorbereitend;keiner;nein;\n", 2, "", "hotspot.err.unknown_encoding"},
		{"missing column", strings.Replace(goodHeader, ";wirkung", "", 1) + "\n" + goodRow, 1, "", "hotspot.err.missing_columns"},
		{"negative cases", row("faelle_pro_jahr", "-5"), 2, "faelle_pro_jahr", "hotspot.err.negative"},
		{"negative minutes", row("minuten_pro_fall", "-1,5"), 2, "minuten_pro_fall", "hotspot.err.negative"},
		{"absurd cases", row("faelle_pro_jahr", "10000001"), 2, "faelle_pro_jahr", "hotspot.err.absurd_cases"},
		{"absurd minutes", row("minuten_pro_fall", "481"), 2, "minuten_pro_fall", "hotspot.err.absurd_minutes"},
		{"percent over 100", row("textanteil_prozent", "120"), 2, "textanteil_prozent", "hotspot.err.percent"},
		{"not a number", row("faelle_pro_jahr", "viele"), 2, "faelle_pro_jahr", "hotspot.err.not_number"},
		{"excel exponent", row("leika", "9,91E+13"), 2, "leika", "hotspot.err.leika_scientific"},
		{"short leika", row("leika", "12345"), 2, "leika", "hotspot.err.leika"},
		{"unknown task", row("ki_aufgabe", "wahrsagen"), 2, "ki_aufgabe", "hotspot.err.unknown_task"},
		{"unknown data class", row("datenklasse", "geheim"), 2, "datenklasse", "hotspot.err.unknown_dataclass"},
		{"unknown effect", row("wirkung", "automatisch"), 2, "wirkung", "hotspot.err.unknown_value"},
		{"profiling empty", row("profiling", ""), 2, "profiling", "hotspot.err.empty"},
		{"duplicate id", goodHeader + "\n" + goodRow + "\n" + goodRow + "\n", 3, "id", "hotspot.err.duplicate_id"},
		{"too many cells", goodHeader + "\n" + goodRow + ";x;y\n", 2, "", "hotspot.err.too_many_cells"},
		{"bad quotes", goodHeader + "\n" + `a-1;"Anträge;Amt` + "\n", 2, "", "hotspot.err.csv"},
		{"only header", goodHeader + "\n", 2, "", "hotspot.err.no_rows"},
		{"empty file", "", 1, "", "hotspot.err.no_header"},
		{"control character", row("prozess", "Antr\x1b[31mäge"), 2, "prozess", "hotspot.err.control"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sh, ps := ReadSheet("amt.csv", strings.NewReader(tc.data), testTasks)
			if sh != nil || len(ps) == 0 {
				t.Fatalf("accepted: %+v", sh)
			}
			p := ps[0]
			if p.File != "amt.csv" || p.Line != tc.line || p.Name != tc.column || p.Msg.ID != tc.msg {
				t.Fatalf("got %s line %d column %d %q %s; want line %d column %q %s", p.File, p.Line, p.Column, p.Name, p.Msg.ID, tc.line, tc.column, tc.msg)
			}
			if tc.column != "" && p.Column == 0 {
				t.Error("no column number")
			}
			if p.Hint.ID == "" {
				t.Error("no hint")
			}
			for _, lang := range []string{"de", "en"} {
				if txt := p.Msg.Text(lang) + p.Hint.Text(lang); strings.Contains(txt, "hotspot.") || strings.Contains(txt, "<no value>") {
					t.Errorf("%s text missing: %q", lang, txt)
				}
			}
			if strings.ContainsRune(p.Msg.Text("de"), 0x1b) {
				t.Error("a control character reached the message")
			}
			de := ps[0].Where("de")
			if tc.line > 0 && !strings.Contains(de, "Zeile") {
				t.Errorf("where: %q", de)
			}
		})
	}
}

func TestEveryRowProblemIsReported(t *testing.T) {
	data := goodHeader + "\n" +
		"a-1;A;Amt;;-1;10;50;klassifizieren;intern;vorbereitend;keiner;nein;\n" +
		"a-2;B;Amt;;100;999;50;raten;intern;vorbereitend;keiner;nein;\n"
	_, ps := ReadSheet("amt.csv", strings.NewReader(data), testTasks)
	var got []string
	for _, p := range ps {
		got = append(got, p.Where("en")+" "+p.Msg.ID)
	}
	want := []string{
		"amt.csv, line 2, column E (faelle_pro_jahr) hotspot.err.negative",
		"amt.csv, line 3, column F (minuten_pro_fall) hotspot.err.absurd_minutes",
		"amt.csv, line 3, column H (ki_aufgabe) hotspot.err.unknown_task",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSizeCap(t *testing.T) {
	big := goodHeader + "\n" + strings.Repeat(goodRow+"\n", MaxSheetBytes/len(goodRow)+10)
	_, ps := ReadSheet("big.csv", strings.NewReader(big), testTasks)
	if len(ps) != 1 || ps[0].Msg.ID != "hotspot.err.too_big" {
		t.Fatalf("%v", ps)
	}
}

func TestWriteSheetReadsBack(t *testing.T) {
	sh := readTestSheet(t, "sozialamt-excel.csv")
	out := WriteSheet(sh.Rows)
	back, ps := ReadSheet("back.csv", bytes.NewReader(out), testTasks)
	if ps != nil {
		t.Fatal(ps)
	}
	for i := range sh.Rows {
		if d := diff(sh.Rows[i], back.Rows[i]); len(d) != 0 || sh.Rows[i].Note != back.Rows[i].Note {
			t.Errorf("row %d differs: %v", i, d)
		}
	}
	tmpl, ps := ReadSheet("template.csv", bytes.NewReader(WriteSheet(nil)), testTasks)
	if tmpl != nil || len(ps) != 1 || ps[0].Msg.ID != "hotspot.err.no_rows" {
		t.Errorf("empty template: %v", ps)
	}
}

func TestColumnLetter(t *testing.T) {
	for n, want := range map[int]string{1: "A", 13: "M", 26: "Z", 27: "AA", 52: "AZ"} {
		if got := ColumnLetter(n); got != want {
			t.Errorf("ColumnLetter(%d) = %s, want %s", n, got, want)
		}
	}
}

func FuzzReadSheet(f *testing.F) {
	for _, name := range []string{"sozialamt-excel.csv", "buergeramt.csv"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(goodHeader + "\n" + goodRow))
	f.Add([]byte("\xEF\xBB\xBF" + goodHeader + "\n\"a\"\"b\";x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sh, ps := ReadSheet("fuzz.csv", bytes.NewReader(data), testTasks)
		if (sh == nil) == (ps == nil) {
			t.Fatalf("sheet %v and problems %v", sh != nil, ps)
		}
		for _, p := range ps {
			if p.File != "fuzz.csv" || p.Msg.ID == "" || p.Hint.ID == "" {
				t.Fatalf("incomplete problem %+v", p)
			}
			_ = p.Error()
		}
		if sh != nil {
			for _, r := range sh.Rows {
				if r.CasesPerYear < 0 || r.CasesPerYear > MaxCasesPerYear || r.MinutesPerCase < 0 || r.MinutesPerCase > MaxMinutesPerCase || r.TextSharePercent > 100 {
					t.Fatalf("implausible row accepted: %+v", r)
				}
			}
		}
	})
}
