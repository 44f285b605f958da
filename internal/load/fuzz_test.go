package load

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// bodyTransport answers every request with the fuzzed body (a fake
// server, to feed the stream parser arbitrary bytes).
type bodyTransport struct{ body []byte }

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(b.body)), Header: http.Header{}, Request: r}, nil
}

// FuzzStream: whatever a server streams, the parser neither panics nor
// counts more tokens than lines, and the sample ends with a result.
func FuzzStream(f *testing.F) {
	f.Add([]byte("{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"done\":true,\"eval_count\":1}\n"), false)
	f.Add([]byte("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: [DONE]\n\n"), true)
	f.Add([]byte("{\"message\":{\"content\":\"\\\"\"},\"done\":false}\n"), false)
	f.Add([]byte("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"usage\":{\"completion_tokens\":-5}}\n"), true)
	f.Add([]byte(strings.Repeat("{", 100)), false)
	f.Fuzz(func(t *testing.T, body []byte, openai bool) {
		p := ProtocolOllama
		if openai {
			p = ProtocolOpenAI
		}
		tg := target{url: "http://127.0.0.1:1", protocol: p, model: "m", client: &http.Client{Transport: bodyTransport{body}}}
		var s Sample
		tg.do(context.Background(), testMix(Limits{})[0], &s, true)
		if lines := bytes.Count(body, []byte("\n")) + 1; s.Tokens > lines {
			t.Fatalf("%d tokens from %d lines", s.Tokens, lines)
		}
		if s.Error == "" && s.Tokens > 0 && s.TTFTms < 0 {
			t.Fatalf("negative TTFT")
		}
	})
}
