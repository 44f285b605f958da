package moochub

import (
	"bytes"
	"encoding/json"
	"io"
)

// Marshal writes doc as indented JSON. Empty next/prev links are left
// out; a licence without URL is written with "url": null.
func Marshal(doc *Document) ([]byte, error) {
	d := *doc
	if d.Data == nil {
		d.Data = []Course{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Write writes doc to w (Marshal).
func Write(w io.Writer, doc *Document) error {
	data, err := Marshal(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// SPDXURL returns the SPDX page of a licence id, nil for "proprietary".
func SPDXURL(id string) *string {
	if id == "" || equalFold(id, "proprietary") {
		return nil
	}
	u := "https://spdx.org/licenses/" + id + ".html"
	return &u
}
