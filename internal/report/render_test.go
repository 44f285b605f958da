package report

import (
	"bytes"
	"flag"

	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var renderDir = flag.String("render-dir", "", "write the sample PDF and HTML into this folder (to look at them)")

func TestRenderPDFAndHTML(t *testing.T) {
	_, r, _, _ := sample(t)
	r.Status = StatusIncomplete
	r.Device.Hostname = "PC-<Bürgeramt>&1"
	r.Summary.Verdicts[1].Subject = `Briefe <script>alert("x")</script> entwerfen`
	f := Files{JSON: "/home/anna/Dokumente/kicheck-kc-x.json", Sig: "/home/anna/Dokumente/kicheck-kc-x.json.sig"}
	pdf, err := PDF(r, f, "de")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", pdf)
	}
	again, _ := PDF(r, f, "de")
	if !bytes.Equal(pdf, again) {
		t.Error("PDF of the same report differs between runs")
	}
	html, err := HTML(r, f, "de")
	if err != nil {
		t.Fatal(err)
	}
	h := string(html)
	for _, want := range []string{"Gesamtergebnis: eingeschränkt", "&lt;script&gt;", "PC-&lt;Bürgeramt&gt;&amp;1", r.Device.DeviceID,
		strings.ReplaceAll(r.Device.Fingerprint, "+", "&#43;"), "kicheck-kc-x.json.sig", "nicht vollständig", "<svg", "Dieser PC und die Cloud", "Quiz: KI-Grundlagen, Kurs Halle", "7,5 von 10 Punkten (75 %)"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "src=", "href=", "@import", "url("} {
		if strings.Contains(h, bad) {
			t.Errorf("HTML contains %q: not self-contained or not escaped", bad)
		}
	}
	if *renderDir != "" {
		os.WriteFile(filepath.Join(*renderDir, "sample.pdf"), pdf, 0o644)
		os.WriteFile(filepath.Join(*renderDir, "sample.html"), html, 0o644)
	}
	// The PDF's text, extracted by poppler when installed, carries the
	// verdicts, umlauts included.
	if p, err := exec.LookPath("pdftotext"); err == nil {
		in := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(in, pdf, 0o644)
		out, err := exec.Command(p, "-layout", in, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Gesamtergebnis: eingeschränkt", "Texte zusammenfassen: bereit", "Geräte-ID", r.Device.DeviceID, "Dieser PC und die Cloud", "Seite 1 von"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}
	}
}

func TestRenderWithoutVerdicts(t *testing.T) {
	key, _, _, _ := sample(t)
	r := New(key, time.Now())
	pdf, err := PDF(r, Files{}, "de")
	if err != nil || len(pdf) == 0 {
		t.Fatal(err)
	}
	html, err := HTML(r, Files{}, "de")
	if err != nil || !strings.Contains(string(html), "keine Bewertung") {
		t.Fatalf("%v %s", err, html)
	}
}
