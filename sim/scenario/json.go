package scenario

// json.go writes results as JSON in a stable order: the `run -json`
// contract, the sweep journal and the parameters all keep the model's
// order of keys (encoding/json would sort a map's).

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// JSONNum encodes v as a JSON number, or null when v is NaN or infinite
// (JSON has no encoding for them).
func JSONNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "null"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// OrderedObject writes a JSON object of n members in order; member i is the
// key and the already-encoded value that kv returns.
func OrderedObject(n int, kv func(i int) (key, value string)) []byte {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		key, val := kv(i)
		k, _ := json.Marshal(key)
		b.Write(k)
		b.WriteByte(':')
		b.WriteString(val)
	}
	b.WriteByte('}')
	return []byte(b.String())
}
