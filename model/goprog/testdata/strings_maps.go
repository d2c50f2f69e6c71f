package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

func wordFreq(text string) map[string]int {
	freq := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		freq[w]++
	}
	return freq
}

func main() {
	f := wordFreq("The quick brown fox. The lazy dog! the end, fox.")
	keys := slices.Sorted(maps.Keys(f))
	for _, k := range keys {
		fmt.Printf("%s:%d ", k, f[k])
	}
	fmt.Println()
	s := "héllo, 世界"
	for i, r := range s {
		fmt.Print(i, ":", string(r), " ")
	}
	fmt.Println(len(s), []byte(s)[1], []rune(s)[1])
	n, err := strconv.Atoi("12a")
	fmt.Println(n, err)
	v, _ := strconv.ParseFloat("3.25", 64)
	fmt.Println(v*2, strconv.Quote("tab\there"), strconv.FormatInt(255, 2))
	parts := strings.Split("a,b,,c", ",")
	fmt.Printf("%q %d\n", parts, len(parts))
	fmt.Println(strings.Repeat("=", 10), strings.Title("go"), strings.ToUpper("gopher"))
	before, after, found := strings.Cut("key=value", "=")
	fmt.Println(before, after, found)
	var sb strings.Builder
	for i := 0; i < 3; i++ {
		fmt.Fprintf(&sb, "[%d]", i)
	}
	sb.WriteString("!")
	fmt.Println(sb.String(), sb.Len())
	xs := []int{5, 2, 8, 2, 9, 1}
	slices.Sort(xs)
	idx, ok := slices.BinarySearch(xs, 8)
	fmt.Println(xs, slices.Compact(xs), idx, ok, slices.Max(xs), slices.Contains(xs, 9))
}
