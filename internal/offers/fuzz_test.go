package offers

import (
	"errors"
	"os"
	"testing"
)

// FuzzReadCSV feeds arbitrary bytes to the CSV reader of paper offers: it
// returns offers with provider and title, or errors with the file name
// and a line; never a panic.
func FuzzReadCSV(f *testing.F) {
	data, err := os.ReadFile("testdata/papier.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("provider,title,url,duration,format,cost,language\nA,B,https://x.example,PT3H,online,0,de\n"))
	f.Add([]byte("anbieter;titel;link;dauer;format;kosten;sprache\n\"a;b\";c;;1,5 h;präsenz;;de-DE\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := ReadCSV("f.csv", data)
		if err != nil {
			var ce CSVErrors
			if !errors.As(err, &ce) || len(ce) == 0 || ce[0].File != "f.csv" || ce[0].Line < 1 {
				t.Fatalf("error without place: %v", err)
			}
			return
		}
		for _, o := range list {
			if o.Provider == "" || o.Name == "" || o.Key == "" {
				t.Fatalf("offer without provider, title or key: %+v", o)
			}
		}
	})
}
