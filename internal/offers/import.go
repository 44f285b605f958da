package offers

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/moochub"
	"github.com/ki-reise/kicheck/internal/store"
)

// ImportOptions govern an import.
type ImportOptions struct {
	// AllowNetwork must be true to read an http(s) URL.
	AllowNetwork bool
	// MaxPages and MaxBytes bound a URL import (0: the moochub
	// defaults); MaxBytes bounds a file too.
	MaxPages int
	MaxBytes int64
	// Client is the HTTP client for URLs (nil: a default with timeout).
	Client *http.Client
	// Progress reports each page requested.
	Progress func(page int, url string)
	// Now is the import time (zero: time.Now).
	Now time.Time
}

// IsURL reports whether the input names an http(s) address.
func IsURL(in string) bool {
	l := strings.ToLower(in)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// Read reads one input (a MOOChub JSON file, a CSV file, or an http(s)
// URL of a MOOChub catalogue with its pages) into offers without storing
// anything. The source name is the URL or the absolute file path.
func Read(ctx context.Context, fw *learning.Framework, in string, o ImportOptions) (string, string, []Offer, int, error) {
	if IsURL(in) {
		if !o.AllowNetwork {
			return in, KindMOOChub, nil, 0, &UsageError{Msg: msgf("offers.err.network_not_allowed", "URL", moochub.Clean(in)), HintMsg: msgf("offers.hint.allow_network")}
		}
		pages, err := moochub.Fetch(ctx, in, moochub.FetchOptions{Client: o.Client, MaxPages: o.MaxPages, MaxBytes: o.MaxBytes, Progress: o.Progress})
		if err != nil {
			return in, KindMOOChub, nil, len(pages), err
		}
		var list []Offer
		for _, p := range pages {
			for _, c := range p.Doc.Data {
				list = append(list, FromMOOChub(in, c, fw))
			}
		}
		return in, KindMOOChub, list, len(pages), nil
	}
	src := in
	if abs, err := filepath.Abs(in); err == nil {
		src = abs
	}
	if strings.EqualFold(filepath.Ext(in), ".csv") {
		max := o.MaxBytes
		if max <= 0 {
			max = moochub.DefaultMaxBytes
		}
		f, err := os.Open(in)
		if err != nil {
			return src, KindCSV, nil, 0, moochub.ReadError(in, err)
		}
		defer f.Close()
		data, err := moochub.ReadLimited(in, f, max)
		if err != nil {
			return src, KindCSV, nil, 0, err
		}
		list, err := ReadCSV(in, data)
		if err != nil {
			return src, KindCSV, nil, 0, err
		}
		for i := range list {
			list[i].Source = src
			var keep []Mapping
			for _, m := range list[i].Areas {
				if fw.Area(m.Area) != nil {
					keep = append(keep, m)
				}
			}
			list[i].Areas = keep
		}
		return src, KindCSV, list, 1, nil
	}
	doc, err := moochub.ReadFile(in, o.MaxBytes)
	if err != nil {
		return src, KindMOOChub, nil, 0, err
	}
	list := make([]Offer, 0, len(doc.Data))
	for _, c := range doc.Data {
		list = append(list, FromMOOChub(src, c, fw))
	}
	return src, KindMOOChub, list, 1, nil
}

// Import reads one input and stores its offers (Store): all of it or,
// on any problem, nothing; offers stored earlier stay as they are.
func Import(ctx context.Context, db *store.DB, fw *learning.Framework, in string, o ImportOptions) (*ImportResult, error) {
	src, kind, list, pages, err := Read(ctx, fw, in, o)
	if err != nil {
		return nil, err
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	res, err := Store(ctx, db, src, kind, list, now)
	if err != nil {
		return nil, err
	}
	res.Pages = pages
	return res, nil
}
