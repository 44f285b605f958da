package bench

import (
	"encoding/json"
	"testing"
)

// The runtimes' own figures are read from their stream chunks. These are
// the shapes their documentation gives (llama.cpp server's last chunk with
// "timings", LM Studio /api/v0 with "stats"); there is no such runtime on
// this machine to record them from.
func TestRuntimeChunkShapes(t *testing.T) {
	var lc openAIChunk
	llama := `{"choices":[{"finish_reason":"length","index":0,"delta":{}}],"created":1,"id":"x","model":"m","object":"chat.completion.chunk",
	"usage":{"completion_tokens":16,"prompt_tokens":40,"total_tokens":56},
	"timings":{"cache_n":3,"prompt_n":37,"prompt_ms":120.5,"prompt_per_token_ms":3.2,"prompt_per_second":307.1,"predicted_n":16,"predicted_ms":800,"predicted_per_token_ms":50,"predicted_per_second":20}}`
	if err := json.Unmarshal([]byte(llama), &lc); err != nil {
		t.Fatal(err)
	}
	if lc.Timings == nil || lc.Timings.PromptN != 37 || lc.Timings.PredictedPerSecond != 20 || lc.Timings.CacheN != 3 ||
		lc.Usage == nil || lc.Usage.CompletionTokens != 16 || lc.Choices[0].FinishReason != "length" {
		t.Errorf("llama.cpp chunk: %+v %+v", lc.Timings, lc.Usage)
	}
	var lm openAIChunk
	lms := `{"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],
	"stats":{"tokens_per_second":31.5,"time_to_first_token":0.25,"generation_time":1.2,"stop_reason":"eosFound"}}`
	if err := json.Unmarshal([]byte(lms), &lm); err != nil {
		t.Fatal(err)
	}
	if lm.Stats == nil || lm.Stats.TokensPerSecond != 31.5 || lm.Stats.TimeToFirstToken != 0.25 {
		t.Errorf("LM Studio chunk: %+v", lm.Stats)
	}
}

func FuzzStreamChunks(f *testing.F) {
	f.Add([]byte(`{"message":{"content":"a"},"done":true,"eval_count":3,"eval_duration":1000}`))
	f.Add([]byte(`{"choices":[{"delta":{"content":"x"}}],"timings":{"prompt_n":1}}`))
	f.Add([]byte(`{"error":"boom"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var o ollamaChunk
		_ = json.Unmarshal(b, &o)
		var c openAIChunk
		_ = json.Unmarshal(b, &c)
		_ = ollamaErrorText(b)
	})
}
