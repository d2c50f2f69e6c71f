package main

import (
	"fmt"
	"strconv"
	"strings"
)

type Token struct {
	Kind  Kind
	Value string
}

type Kind int

const (
	Number Kind = iota
	Op
	Paren
)

func (k Kind) String() string { return [...]string{"Number", "Op", "Paren"}[k] }

func lex(s string) []Token {
	var toks []Token
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			continue
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			toks = append(toks, Token{Number, s[i:j]})
			i = j - 1
		case strings.ContainsRune("+-*/", rune(c)):
			toks = append(toks, Token{Op, string(c)})
		case c == '(' || c == ')':
			toks = append(toks, Token{Paren, string(c)})
		default:
			panic(fmt.Sprintf("bad char %q", c))
		}
	}
	return toks
}

func eval(toks []Token) int {
	total, op := 0, "+"
	for _, t := range toks {
		switch t.Kind {
		case Number:
			n, _ := strconv.Atoi(t.Value)
			switch op {
			case "+":
				total += n
			case "-":
				total -= n
			case "*":
				total *= n
			case "/":
				total /= n
			}
		case Op:
			op = t.Value
		}
	}
	return total
}

func main() {
	toks := lex("12 + 30 * 2 - 4")
	for _, t := range toks {
		fmt.Printf("%-6v %q\n", t.Kind, t.Value)
	}
	fmt.Println(len(toks))
	switch x := len(toks); {
	case x > 5:
		fmt.Println("long")
		fallthrough
	case x > 2:
		fmt.Println("medium or more")
	default:
		fmt.Println("short")
	}
}
