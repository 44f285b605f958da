package gguf

import "fmt"

// Token types as llama.cpp numbers them (llama_token_type).
const (
	tokenNormal  int32 = 1
	tokenUnknown int32 = 2
	tokenControl int32 = 3
	tokenByte    int32 = 6
)

// Fixed ids of the special tokens (the SentencePiece "llama" defaults).
const (
	unkID = 0
	bosID = 1
	eosID = 2
)

// spaceMark is SentencePiece's visible space.
const spaceMark = "\u2581"

// MinVocab is the smallest vocabulary the tokenizer can be built with:
// <unk>, <s>, </s>, the 256 byte tokens, the space mark and the 94 printable
// ASCII characters.
const MinVocab = 3 + 256 + 1 + 94

type vocab struct {
	tokens []string
	scores []float32
	types  []int32
	// printable marks tokens a synthetic model may generate; all others
	// (control and byte tokens) get a strongly negative logit so generated
	// text is always valid, visible UTF-8 and never ends early on </s>.
	printable []bool
}

// newVocab builds a byte-level vocabulary of exactly n tokens: specials, a
// byte-fallback token for every byte (so any text can be encoded), the space
// mark, printable ASCII, then filler words over a..z ("aa", "ab", …) until n
// is reached. Filler words only exist to give the embedding and output
// matrices the size of a real model's vocabulary.
func newVocab(n int) (*vocab, error) {
	if n < MinVocab {
		return nil, fmt.Errorf("vocabulary of %d tokens is too small: the byte-level tokenizer needs at least %d", n, MinVocab)
	}
	v := &vocab{
		tokens:    make([]string, 0, n),
		scores:    make([]float32, 0, n),
		types:     make([]int32, 0, n),
		printable: make([]bool, 0, n),
	}
	add := func(text string, typ int32, printable bool) {
		v.tokens = append(v.tokens, text)
		// SentencePiece merges higher scores first; keep earlier tokens first.
		v.scores = append(v.scores, -float32(len(v.scores)))
		v.types = append(v.types, typ)
		v.printable = append(v.printable, printable)
	}
	add("<unk>", tokenUnknown, false)
	add("<s>", tokenControl, false)
	add("</s>", tokenControl, false)
	for b := range 256 {
		add(fmt.Sprintf("<0x%02X>", b), tokenByte, false)
	}
	add(spaceMark, tokenNormal, true)
	for c := byte('!'); c <= '~'; c++ {
		add(string(c), tokenNormal, true)
	}
	word := []byte{'a', 'a'}
	for len(v.tokens) < n {
		add(string(word), tokenNormal, true)
		word = nextWord(word)
	}
	return v, nil
}

// firstPrintable is the id of the first token a model may generate; every
// token from here on is printable.
const firstPrintable = 3 + 256

// predecessor is the printable token before id in a cycle over all
// printable tokens.
func (v *vocab) predecessor(id int) int {
	if id <= firstPrintable {
		return len(v.tokens) - 1
	}
	return id - 1
}

// nextWord counts in base 26 over a..z, growing by one letter after "zz…z".
func nextWord(w []byte) []byte {
	for i := len(w) - 1; i >= 0; i-- {
		if w[i] < 'z' {
			w[i]++
			return w
		}
		w[i] = 'a'
	}
	return append([]byte{'a'}, w...)
}
