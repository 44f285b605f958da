package fit

import (
	"strings"
	"testing"
)

var chatCase = UseCase{
	ID: "t", Kind: "chat", ContextTokens: 2048, PromptTokens: 1000, AnswerTokens: 100,
	Thresholds: Thresholds{
		DecodeTPS:   &AtLeast{Good: 10, Minimum: 4},
		FirstTokenS: &AtMost{Good: 3, Maximum: 20},
	},
}

func chatPrediction(place Placement, decode, first float64) Prediction {
	return Prediction{
		Placement: place, Limit: "bandwidth",
		Memory:      Memory{TotalBytes: 5_400_000_000},
		DecodeTPS:   &Figure{Value: decode},
		FirstTokenS: &Figure{Value: first},
	}
}

func TestJudgeThresholds(t *testing.T) {
	cases := []struct {
		name   string
		p      Prediction
		want   Verdict
		reason string
	}{
		{"fast enough", chatPrediction(InRAM, 10, 3), Ready, "fit.reason.ready"},
		{"fast on gpu", chatPrediction(OnGPU, 60, 0.5), Ready, "fit.reason.ready_gpu"},
		{"decode just below good", chatPrediction(InRAM, 9.9, 1), Limited, "fit.reason.decode_slow_bandwidth"},
		{"decode at minimum", chatPrediction(InRAM, 4, 1), Limited, "fit.reason.decode_slow_bandwidth"},
		{"decode below minimum", chatPrediction(InRAM, 3.9, 1), NotReady, "fit.reason.decode_too_slow_bandwidth"},
		{"first token just over good", chatPrediction(InRAM, 12, 3.1), Limited, "fit.reason.first_token_slow"},
		{"first token at maximum", chatPrediction(InRAM, 12, 20), Limited, "fit.reason.first_token_slow"},
		{"first token over maximum", chatPrediction(InRAM, 12, 20.5), NotReady, "fit.reason.first_token_too_slow"},
		// The worse finding wins: slow-but-usable decode, unusable prompt.
		{"worst finding wins", chatPrediction(InRAM, 5, 25), NotReady, "fit.reason.first_token_too_slow"},
		{"only with programs closed", chatPrediction(RAMTight, 12, 1), Limited, "fit.reason.ram_tight"},
		{"does not fit", chatPrediction(NoFit, 50, 1), NotReady, "fit.reason.no_memory"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, r := Judge(tc.p, chatCase)
			if v != tc.want || r.ID != tc.reason {
				t.Errorf("got %s (%s), want %s (%s)", v, r.ID, tc.want, tc.reason)
			}
		})
	}
}

func TestJudgeComputeBoundReasonSaysProcessor(t *testing.T) {
	p := chatPrediction(InRAM, 2, 1)
	p.Limit = "compute"
	_, r := Judge(p, chatCase)
	// The clerk reads pages and seconds and the cause; IT reads the figure.
	if got := r.Text("de"); !strings.Contains(got, "Prozessor dieses PCs rechnet zu langsam") || !strings.Contains(got, "250 Sekunden") || strings.Contains(got, "Token") {
		t.Errorf("reason %q", got)
	}
	if got := r.Text("en"); !strings.Contains(got, "processor computes too slowly") || !strings.Contains(got, "250 seconds") || strings.Contains(got, "token") {
		t.Errorf("reason %q", got)
	}
	it := Reason{ID: r.ID + ".it", Data: r.Data}
	if got := it.Text("de"); !strings.Contains(got, "Rechenleistung") || !strings.Contains(got, "2,0 Token/s") {
		t.Errorf("IT line %q", got)
	}
	if got := it.Text("en"); !strings.Contains(got, "compute") || !strings.Contains(got, "2.0 tokens/s") {
		t.Errorf("IT line %q", got)
	}
}

func TestJudgeTranscription(t *testing.T) {
	u := UseCase{Kind: "transcription", Thresholds: Thresholds{RealtimeFactor: &AtMost{Good: 1, Maximum: 3}}}
	for _, tc := range []struct {
		rtf  float64
		want Verdict
		text string
	}{
		{0.5, Ready, "etwa 30 Minuten"},
		{1, Ready, "etwa 60 Minuten"},
		{2, Limited, "etwa 120 Minuten"},
		{3.5, NotReady, "etwa 210 Minuten"},
	} {
		v, r := Judge(Prediction{Placement: InRAM, RealtimeFactor: &Figure{Value: tc.rtf}}, u)
		if v != tc.want || !strings.Contains(r.Text("de"), tc.text) {
			t.Errorf("rtf %.1f: %s %q, want %s containing %q", tc.rtf, v, r.Text("de"), tc.want, tc.text)
		}
	}
}

// A hand-worked prediction: a 1.0 GB model file with tied embeddings, 16
// layers of 8 KV heads × 64 dims, on a machine measuring 20 GB/s.
func TestPredictHandWorked(t *testing.T) {
	m := Model{ID: "hand", Kind: "chat", Family: "llama", ContextLength: 8192,
		Shape: Shape{Layers: 16, HiddenSize: 2048, AttentionHeads: 32, KVHeads: 8, HeadDim: 64, FFNSize: 8192, VocabSize: 32000, TiedEmbeddings: true}}
	q := Quantization{Name: "Q8_0", SizeGB: 1.0}
	mc := Machine{RAMTotalBytes: 16e9, RAMAvailableBytes: 12e9, MemoryReadGBps: 20}
	mc.Compute.GOPS = 200
	p := Predict(mc, m, q, chatCase)

	// KV cache at 2048 tokens: 2 × 16 × 2048 × 8 × 64 × 2 bytes = 67,108,864.
	if p.Memory.KVCacheBytes != 67_108_864 {
		t.Errorf("KV cache %d, want 67108864", p.Memory.KVCacheBytes)
	}
	// Decoding at position 1000 + 100/2 = 1050: KV read 2×16×1050×512×2 =
	// 34,406,400 bytes; per token 1.0344064 GB; 20 × 0.85 / 1.0344064 =
	// 16.434 tokens/s.
	want := 20 * DecodeEfficiency / 1.0344064
	if d := p.DecodeTPS.Value; d < want*0.999 || d > want*1.001 {
		t.Errorf("decode %.3f tokens/s, want %.3f", d, want)
	}
	if p.Limit != "bandwidth" || p.Placement != InRAM {
		t.Errorf("limit %s placement %s", p.Limit, p.Placement)
	}
	if !strings.Contains(p.DecodeTPS.Basis, "20.0 GB/s") || !strings.Contains(p.DecodeTPS.Basis, "1050 tokens") {
		t.Errorf("basis does not name the measurement: %s", p.DecodeTPS.Basis)
	}
	// Prompt: 2 × the layers' parameters (the tied output matrix,
	// 32000 × 2048, runs for the last prompt token only) + attention at
	// 500 tokens per token.
	params := float64(ShapeParameters(m)) - 32000*2048
	flops := 2*params + 4*16*500*2048
	if pt := p.PromptTPS.Value; pt < 200e9/flops*0.999 || pt > 200e9/flops*1.001 {
		t.Errorf("prompt %.1f tokens/s, want %.1f", pt, 200e9/flops)
	}

	// Without AVX2 the compute limit can be the slower one: with 5 GOPS
	// the compute limit (5e9 / (2 × 1.1e9 + attention)) is about 2
	// tokens/s, below the bandwidth limit, and the prediction takes it.
	mc.Compute.GOPS = 5
	p = Predict(mc, m, q, chatCase)
	if p.Limit != "compute" || p.DecodeTPS.Value > 3 {
		t.Errorf("slow CPU: limit %s, decode %.2f", p.Limit, p.DecodeTPS.Value)
	}
}

func TestPlacementNeverAddsCards(t *testing.T) {
	m := Model{ID: "big", Kind: "chat", Family: "llama", ContextLength: 8192,
		Shape: Shape{Layers: 32, HiddenSize: 4096, AttentionHeads: 32, KVHeads: 8, HeadDim: 128, FFNSize: 14336, VocabSize: 128256}}
	q := Quantization{Name: "Q4_K_M", SizeGB: 4.92}
	two := []GPU{{Name: "A", VRAMBytes: 4 << 30, Discrete: true}, {Name: "B", VRAMBytes: 4 << 30, Discrete: true}}
	mc := Machine{RAMTotalBytes: 8e9, RAMAvailableBytes: 4e9, GPUs: two, MemoryReadGBps: 20}
	mc.Compute.GOPS = 100
	p := Predict(mc, m, q, chatCase)
	if p.Placement == OnGPU {
		t.Fatalf("placed on GPU %d although no single card holds %.1f GB", p.GPUIndex, gbf(p.Memory.TotalBytes))
	}
	// RAM 8 GB total, 4 GB free: fits only with programs closed.
	if p.Placement != RAMTight {
		t.Errorf("placement %s, want ram_tight", p.Placement)
	}
	mc.GPUs = append(mc.GPUs, GPU{Name: "C", VRAMBytes: 12 << 30, Discrete: true})
	if p := Predict(mc, m, q, chatCase); p.Placement != OnGPU || p.GPUIndex != 2 {
		t.Errorf("placement %s on %d, want gpu 2", p.Placement, p.GPUIndex)
	}
	// An integrated GPU's shared memory never counts.
	mc.GPUs = []GPU{{Name: "iGPU", VRAMBytes: 16 << 30, Discrete: false}}
	if p := Predict(mc, m, q, chatCase); p.Placement == OnGPU {
		t.Error("placed on an integrated GPU")
	}
}

func TestAssessUsesCandidateOrderAndCapacity(t *testing.T) {
	c, err := LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	// An office PC: 16 GB, 10 GB free, 40 GB/s, AVX2.
	mc := Machine{RAMTotalBytes: 16e9, RAMAvailableBytes: 10e9, MemoryReadGBps: 40}
	mc.Compute.GOPS = 300
	u, _ := c.UseCase("antwort-entwurf")
	a := AssessUseCase(mc, c, u)
	if a.Best == "" || len(a.Cells) < 10 {
		t.Fatalf("best %q, %d cells", a.Best, len(a.Cells))
	}
	// 10 GB free × 0.9: the 8B models fit at Q4_K_M, 14B (9 GB file) not.
	if a.CapacityB < 8 || a.CapacityB >= 14 {
		t.Errorf("capacity %.1fB, want 8–12B", a.CapacityB)
	}
	if s := a.Summary("de"); !strings.Contains(s, "Mrd. Parameter") {
		t.Errorf("summary %q", s)
	}
	for _, cell := range a.Cells {
		if cell.Prediction.DecodeTPS == nil || cell.Prediction.DecodeTPS.Basis == "" || cell.Prediction.Memory.Basis == "" {
			t.Errorf("%s: prediction without basis", cell.ModelID)
		}
	}
}

func TestReasonTellsValueFromThreshold(t *testing.T) {
	r := Reason{ID: "fit.reason.first_token_slow", Data: map[string]any{"Secs": 1.04, "Good": 1.0, "Prompt": 512}}
	got := r.Text("de")
	want := "Bei einer Eingabe von einer Seite Text beginnt die Antwort nach etwa 1,04 Sekunden; gut wären unter 1,00 Sekunden. Grund: Der Prozessor dieses PCs liest die Eingabe langsam. Helfen würde ein PC mit Grafikkarte."
	if got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	r.Data["Secs"] = 1.5
	if got := r.Text("en"); !strings.Contains(got, "1.5 seconds") || !strings.Contains(got, "1.0 seconds") {
		t.Fatalf("distinct values should keep one decimal: %q", got)
	}
}

// TestPlainFigures: the clerk's texts speak in pages and seconds.
func TestPlainFigures(t *testing.T) {
	for _, c := range []struct {
		lang   string
		prompt float64
		want   string
	}{{"de", 200, "einer halben Seite"}, {"de", 512, "einer Seite"}, {"de", 1000, "2 Seiten"}, {"en", 1000, "2 pages"}, {"en", 300, "half a page"}} {
		if got := plainFigures(c.lang, map[string]any{"Prompt": c.prompt})["Pages"]; got != c.want {
			t.Errorf("%s %v: %q, want %q", c.lang, c.prompt, got, c.want)
		}
	}
	got := plainFigures("de", map[string]any{"TPS": 4.0, "Good": 10.0, "Minimum": 4.0})
	if got["PageSecs"] != "125" || got["PageSecsGood"] != "50" || got["PageSecsMax"] != "125" {
		t.Errorf("%v", got)
	}
}
