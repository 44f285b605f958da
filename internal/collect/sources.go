package collect

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
)

// Limits on what the intake reads from files and archives. A report is a
// few tens of kilobytes; the caps keep a hostile file or archive from
// exhausting memory or disk.
const (
	// MaxSigSize caps a signature file (an armored SSHSIG is under 4 KiB).
	MaxSigSize = 16 << 10
	// MaxArchiveTotal caps the sum of the uncompressed sizes in one ZIP.
	MaxArchiveTotal = 4 << 30
	// MaxArchiveEntries caps the number of entries in one ZIP.
	MaxArchiveEntries = 500_000
	// MaxCompressionRatio caps uncompressed/compressed per entry; JSON
	// reports compress about 4-8 to 1, a zip bomb by 1000 to 1 and more.
	MaxCompressionRatio = 100
)

// Walk sends one Item per report found under paths: a folder (searched
// recursively; a network share is a folder), a ZIP file, or a single
// NAME.json. A report is NAME.json with its signature NAME.json.sig beside
// it. Unreadable files and refused archives become items with Err set.
// It closes items when done or when ctx is cancelled.
func Walk(ctx context.Context, paths []string, items chan<- Item) {
	defer close(items)
	send := func(it Item) bool {
		select {
		case items <- it:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			if !send(Item{Source: p, Err: readError("intake.read.cannot_read", nil, err)}) {
				return
			}
			continue
		}
		switch {
		case fi.IsDir():
			err := filepath.WalkDir(p, func(name string, d fs.DirEntry, err error) error {
				if err != nil {
					if !send(Item{Source: name, Err: readError("intake.read.cannot_read", nil, err)}) {
						return ctx.Err()
					}
					return nil
				}
				if d.IsDir() || !d.Type().IsRegular() {
					return nil // symbolic links are not followed
				}
				if isZip(name) {
					if !walkZip(ctx, name, send) {
						return ctx.Err()
					}
					return nil
				}
				if !isReport(name) {
					return nil
				}
				if !send(readItem(name)) {
					return ctx.Err()
				}
				return nil
			})
			if err != nil {
				return
			}
		case isZip(p):
			if !walkZip(ctx, p, send) {
				return
			}
		default:
			if !send(readItem(strings.TrimSuffix(p, ".sig"))) {
				return
			}
		}
	}
}

func isReport(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".json") }
func isZip(name string) bool    { return strings.HasSuffix(strings.ToLower(name), ".zip") }

func readItem(name string) Item {
	data, sig, err := report.ReadFiles(name)
	if err != nil {
		return Item{Source: name, Err: readError("intake.read.cannot_read", nil, err)}
	}
	return Item{Source: name, Data: data, Sig: sig}
}

// readError is a file or archive entry the intake cannot read or refuses:
// message id "intake.read.*" with its values, the technical cause after it.
func readError(id string, data map[string]any, cause error) error {
	return &textError{msg: i18n.Msg{ID: id, Data: data}, cause: cause}
}

// ArchiveError is a ZIP file the intake refuses as a whole. Error is
// English; Text renders it for people.
type ArchiveError struct {
	Path string
	Err  error
}

func (e *ArchiveError) Error() string { return e.Text("en") }
func (e *ArchiveError) Unwrap() error { return e.Err }

// Text renders the error in lang.
func (e *ArchiveError) Text(lang string) string {
	detail := e.Err.Error()
	var t i18n.Texter
	if errors.As(e.Err, &t) {
		detail = t.Text(lang)
	}
	return i18n.T(lang, "intake.read.archive", map[string]any{"Path": e.Path, "Detail": detail})
}

// walkZip sends the reports in a ZIP file. The archive is refused as a
// whole when an entry name leaves the archive (absolute, "..", a drive or
// backslashes), when it has too many entries, or when the declared sizes
// add up to more than MaxArchiveTotal. A single entry is refused when it
// is larger than a report may be or compressed more than
// MaxCompressionRatio to 1; sizes are enforced while reading, so a lying
// header does not help. Nothing is extracted to disk.
func walkZip(ctx context.Context, name string, send func(Item) bool) bool {
	zr, err := zip.OpenReader(name)
	if errors.Is(err, zip.ErrInsecurePath) {
		// With GODEBUG=zipinsecurepath=0 the library refuses such names
		// itself; the message stays the same as ours.
		if zr != nil {
			zr.Close()
		}
		return send(Item{Source: name, Err: &ArchiveError{Path: name, Err: readError("intake.read.traversal", nil, nil)}})
	}
	if err != nil {
		return send(Item{Source: name, Err: &ArchiveError{Path: name, Err: err}})
	}
	defer zr.Close()
	items, err := zipItems(name, &zr.Reader)
	if err != nil {
		return send(Item{Source: name, Err: err})
	}
	for _, it := range items {
		if !send(it) {
			return false
		}
	}
	return ctx.Err() == nil
}

// zipItems reads the reports of an opened archive.
func zipItems(name string, zr *zip.Reader) ([]Item, error) {
	if len(zr.File) > MaxArchiveEntries {
		return nil, &ArchiveError{Path: name, Err: readError("intake.read.entries", map[string]any{"Count": i18n.Int(len(zr.File)), "Max": i18n.Int(MaxArchiveEntries)}, nil)}
	}
	var total uint64
	byName := map[string]*zip.File{}
	for _, f := range zr.File {
		if !safeEntryName(f.Name) {
			return nil, &ArchiveError{Path: name, Err: readError("intake.read.traversal_entry", map[string]any{"Name": fmt.Sprintf("%q", f.Name)}, nil)}
		}
		total += f.UncompressedSize64
		if total > MaxArchiveTotal {
			return nil, &ArchiveError{Path: name, Err: readError("intake.read.total", map[string]any{"GiB": MaxArchiveTotal >> 30}, nil)}
		}
		byName[f.Name] = f
	}
	var items []Item
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !isReport(f.Name) {
			continue
		}
		source := name + "!" + f.Name
		data, err := readEntry(f, report.MaxSize)
		if err != nil {
			items = append(items, Item{Source: source, Err: err})
			continue
		}
		it := Item{Source: source, Data: data}
		if sf, ok := byName[f.Name+".sig"]; ok {
			if it.Sig, err = readEntry(sf, MaxSigSize); err != nil {
				it = Item{Source: source, Err: readError("intake.read.signature", nil, err)}
			}
		}
		items = append(items, it)
	}
	return items, nil
}

// errEntryTooLarge is an entry over the size cap.
var errEntryTooLarge = errors.New("entry too large")

// readEntry reads one entry with the size and ratio caps. It reads at most
// limit+1 bytes whatever the header claims.
func readEntry(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, &textError{msg: i18n.Msg{ID: "intake.read.entry_too_large", Data: map[string]any{"Size": i18n.Int(f.UncompressedSize64), "Max": i18n.Int(limit)}}, kind: errEntryTooLarge}
	}
	if f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > MaxCompressionRatio {
		return nil, readError("intake.read.zip_bomb", map[string]any{"Ratio": i18n.Int(f.UncompressedSize64 / f.CompressedSize64), "Max": MaxCompressionRatio}, nil)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, readError("intake.read.cannot_read_entry", nil, err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, readError("intake.read.cannot_read_entry", nil, err)
	}
	if n > limit {
		return nil, &textError{msg: i18n.Msg{ID: "intake.read.entry_over", Data: map[string]any{"Max": i18n.Int(limit)}}, kind: errEntryTooLarge}
	}
	if f.CompressedSize64 > 0 && uint64(n)/f.CompressedSize64 > MaxCompressionRatio {
		return nil, readError("intake.read.zip_bomb", map[string]any{"Ratio": i18n.Int(uint64(n) / f.CompressedSize64), "Max": MaxCompressionRatio}, nil)
	}
	return buf.Bytes(), nil
}

// safeEntryName accepts only relative slash-separated names that stay
// inside the archive.
func safeEntryName(n string) bool {
	if n == "" || strings.ContainsAny(n, "\\\x00") || strings.HasPrefix(n, "/") {
		return false
	}
	if len(n) >= 2 && n[1] == ':' {
		return false // C:foo
	}
	clean := strings.TrimSuffix(n, "/")
	if clean == "" {
		return false
	}
	return fs.ValidPath(clean) && path.Clean(clean) == clean
}
