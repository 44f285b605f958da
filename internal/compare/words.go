package compare

import (
	"strings"
	"unicode"
)

// maxWords caps the words compared per answer, so the O(n·m) alignment
// stays small (answers are a few hundred words at most).
const maxWords = 600

// words splits text into lower-case words (letters and digits).
func words(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(f) > maxWords {
		f = f[:maxWords]
	}
	return f
}

// wordOp is one step of a word diff.
type wordOp struct {
	kind byte // '=', '-', '+'
	word string
}

// alignWords returns the longest-common-subsequence alignment of a and b.
func alignWords(a, b []string) []wordOp {
	n, m := len(a), len(b)
	// lcs[i][j] = LCS length of a[i:] and b[j:]
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []wordOp
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			ops = append(ops, wordOp{'=', a[i]})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			ops = append(ops, wordOp{'-', a[i]})
			i++
		default:
			ops = append(ops, wordOp{'+', b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		ops = append(ops, wordOp{'-', a[i]})
	}
	for ; j < m; j++ {
		ops = append(ops, wordOp{'+', b[j]})
	}
	return ops
}

// Similarity is 2·(common words in order) / (words in a + words in b):
// 1 for the same words, 0 for nothing in common (Ratcliff/Obershelp style,
// on words). Two empty answers are equal.
func Similarity(a, b string) float64 {
	wa, wb := words(a), words(b)
	if len(wa)+len(wb) == 0 {
		return 1
	}
	common := 0
	for _, op := range alignWords(wa, wb) {
		if op.kind == '=' {
			common++
		}
	}
	return 2 * float64(common) / float64(len(wa)+len(wb))
}

// WordDiff renders the differences git-style: [-only local-] {+only cloud+},
// with unchanged runs shortened to "…". At most limit characters.
func WordDiff(a, b string, limit int) string {
	ops := alignWords(words(a), words(b))
	var sb strings.Builder
	for k := 0; k < len(ops); {
		kind := ops[k].kind
		var run []string
		for k < len(ops) && ops[k].kind == kind {
			run = append(run, ops[k].word)
			k++
		}
		switch kind {
		case '=':
			if len(run) > 4 {
				run = []string{run[0], run[1], "…", run[len(run)-2], run[len(run)-1]}
			}
			sb.WriteString(strings.Join(run, " "))
		case '-':
			sb.WriteString("[-" + strings.Join(run, " ") + "-]")
		case '+':
			sb.WriteString("{+" + strings.Join(run, " ") + "+}")
		}
		sb.WriteByte(' ')
		if sb.Len() > limit {
			break
		}
	}
	out := strings.TrimSpace(sb.String())
	if len(out) > limit {
		cut := limit
		for cut > 0 && !utf8Start(out[cut]) {
			cut--
		}
		out = out[:cut] + " …"
	}
	return out
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
