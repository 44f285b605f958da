package moochub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// DefaultMaxPages is the page limit of Fetch.
const DefaultMaxPages = 100

// FetchOptions bound a Fetch.
type FetchOptions struct {
	// Client is the HTTP client (nil: one with a 30 s timeout).
	Client *http.Client
	// MaxPages ends the walk with ErrTooManyPages (≤ 0: DefaultMaxPages).
	MaxPages int
	// MaxBytes is the size cap per page (≤ 0: DefaultMaxBytes).
	MaxBytes int64
	// MaxTotalBytes caps all pages together (≤ 0: 4 × MaxBytes), so the
	// courses kept in memory stay bounded whatever the page limit.
	MaxTotalBytes int64
	// Progress is called before each page is requested.
	Progress func(page int, url string)
}

// Page is one page read.
type Page struct {
	URL string
	Doc *Document
}

// Fetch reads a catalogue from an http(s) URL and follows links.next. It
// stops at a page it has seen (ErrPageLoop), after MaxPages pages
// (ErrTooManyPages), at a page over the size cap, at an answer that is not
// a MOOChub v3 page, or when the address does not answer (ErrNetwork). The
// pages read before a failure are returned with the error; the caller
// decides what to keep.
func Fetch(ctx context.Context, start string, o FetchOptions) ([]Page, error) {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if o.MaxPages <= 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxTotalBytes <= 0 {
		o.MaxTotalBytes = 4 * o.MaxBytes
	}
	var pages []Page
	var total int64
	seen := map[string]int{}
	cur, err := url.Parse(start)
	if err != nil || (cur.Scheme != "http" && cur.Scheme != "https") || cur.Host == "" {
		return nil, Errors{{Source: Clean(start), Kind: ErrNetwork, Msg: msg("moochub.err.bad_url"), HintMsg: msg("moochub.hint.bad_url")}}
	}
	for {
		u := cur.String()
		if n, ok := seen[u]; ok {
			prev := pages[len(pages)-1]
			return pages, Errors{{Source: Clean(prev.URL), Path: "$.links.next", Kind: ErrPageLoop,
				Msg: msg("moochub.err.loop", "URL", Clean(u), "Page", n+1), HintMsg: msg("moochub.hint.loop")}}
		}
		if len(pages) >= o.MaxPages {
			return pages, Errors{{Source: Clean(pages[len(pages)-1].URL), Path: "$.links.next", Kind: ErrTooManyPages,
				Msg: msg("moochub.err.too_many_pages", "Max", o.MaxPages), HintMsg: msg("moochub.hint.too_many_pages")}}
		}
		seen[u] = len(pages)
		if o.Progress != nil {
			o.Progress(len(pages)+1, u)
		}
		limit := min(o.MaxBytes, o.MaxTotalBytes-total)
		if limit <= 0 {
			return pages, tooLarge(Clean(u), o.MaxTotalBytes)
		}
		po := o
		po.MaxBytes = limit
		doc, n, err := fetchPage(ctx, po, u)
		total += n
		if err != nil {
			if errors.Is(err, ErrTooLarge) && limit < o.MaxBytes {
				return pages, tooLarge(Clean(u), o.MaxTotalBytes)
			}
			return pages, err
		}
		pages = append(pages, Page{URL: u, Doc: doc})
		if doc.Links.Next == "" {
			return pages, nil
		}
		next, err := cur.Parse(doc.Links.Next)
		if err != nil || (next.Scheme != "http" && next.Scheme != "https") {
			return pages, Errors{{Source: Clean(u), Path: "$.links.next", Kind: ErrInvalid, Msg: msg("moochub.err.bad_next", "URL", Clean(doc.Links.Next)), HintMsg: msg("moochub.hint.invalid")}}
		}
		next.Fragment = ""
		cur = next
	}
}

// fetchPage reads and parses one page; n is the number of bytes read.
func fetchPage(ctx context.Context, o FetchOptions, u string) (*Document, int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("request %s: %w", Clean(u), err)
	}
	req.Header.Set("Accept", "application/vnd.api+json, application/json")
	resp, err := o.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		detail := err.Error()
		var ue *url.Error
		if errors.As(err, &ue) {
			detail = ue.Err.Error()
		}
		return nil, 0, Errors{{Source: Clean(u), Kind: ErrNetwork, Msg: msg("moochub.err.network", "Detail", Clean(detail)), HintMsg: msg("moochub.hint.network")}}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, 0, Errors{{Source: Clean(u), Kind: ErrNetwork, Msg: msg("moochub.err.status", "Status", Clean(resp.Status)), HintMsg: msg("moochub.hint.network")}}
	}
	if resp.ContentLength > o.MaxBytes {
		return nil, 0, tooLarge(Clean(u), o.MaxBytes)
	}
	data, err := ReadLimited(Clean(u), resp.Body, o.MaxBytes)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		return nil, o.MaxBytes, err
	}
	doc, err := Parse(Clean(u), data)
	return doc, int64(len(data)), err
}
