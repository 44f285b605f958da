package moochub

import (
	"errors"
	"os"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the reader: it returns a document
// that validates again when written, or Errors naming the source; never a
// panic.
func FuzzParse(f *testing.F) {
	for _, n := range []string{"campus-page1.json", "campus-page2.json", "akademie.json", "mooc-verbund.json"} {
		data, err := os.ReadFile(feeds + n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"links":{"self":"a:b","first":"a:b","last":"a:b"},"data":[]}`))
	f.Add([]byte(`{"data":[{"type":"courses"}]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse("f.json", data)
		if err != nil {
			var es Errors
			if errors.As(err, &es) && (len(es) == 0 || es[0].Source != "f.json") {
				t.Fatalf("error without source: %v", err)
			}
			return
		}
		out, err := Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse("again.json", out); err != nil {
			t.Fatalf("accepted document does not validate when written: %v\n%s", err, out)
		}
		for _, c := range doc.Data {
			PlainText(c.Attributes.Description)
			DurationMinutes(c.Attributes.Duration)
		}
	})
}
