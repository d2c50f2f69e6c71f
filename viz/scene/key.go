package scene

// Shape is how an entity is drawn: the same shape and colour mean the same
// thing in every section and in the legend.
type Shape uint8

const (
	ShapeG       Shape = iota // a goroutine: a disc
	ShapeThread               // an M: a thick short line
	ShapeP                    // a P: a rounded outline
	ShapeConn                 // a connection: a pill
	ShapeRequest              // a request: a ring
	ShapeFrame                // an HTTP/2 frame or TCP segment: a small bar
	ShapeLost                 // a lost segment: a cross
	ShapeStatus               // an error response (503): a square
	ShapeLine                 // a series in a chart
)

// KeyEntry is one line of the colour key.
type KeyEntry struct {
	Shape Shape
	C     Color
	Label string
}

// The colour key: every entity the scenes draw. Sections show the entries
// they use, in this order.
var (
	KeyRunning     = KeyEntry{ShapeG, Running, "G running"}
	KeyRunnable    = KeyEntry{ShapeG, Runnable, "G runnable"}
	KeyIOWait      = KeyEntry{ShapeG, Waiting, "G waiting on I/O"}
	KeySyscall     = KeyEntry{ShapeG, Syscall, "G in syscall"}
	KeyThread      = KeyEntry{ShapeThread, Thread, "thread (M)"}
	KeyP           = KeyEntry{ShapeP, Proc, "P"}
	KeyConnIdle    = KeyEntry{ShapeConn, ConnIdle, "conn idle"}
	KeyConnActive  = KeyEntry{ShapeConn, ConnActive, "conn active"}
	KeyConnDialing = KeyEntry{ShapeConn, ConnDialing, "conn dialing"}
	KeyTimeWait    = KeyEntry{ShapeConn, TimeWait, "TIME_WAIT"}
	KeyRequest     = KeyEntry{ShapeRequest, Request, "request"}
	KeyData        = KeyEntry{ShapeFrame, FrameData, "DATA"}
	KeyHeaders     = KeyEntry{ShapeFrame, FrameHeaders, "HEADERS"}
	KeyWindow      = KeyEntry{ShapeFrame, FrameWindow, "WINDOW_UPDATE"}
	KeyCtrl        = KeyEntry{ShapeFrame, FrameCtrl, "SETTINGS/PING"}
	KeySegment     = KeyEntry{ShapeFrame, Muted, "TCP segment"}
	KeyLost        = KeyEntry{ShapeLost, Lost, "lost segment"}
	KeyRetransmit  = KeyEntry{ShapeFrame, Warn, "retransmission"}
	Key503         = KeyEntry{ShapeStatus, Status503, "503"}
)

// Key lists every entry of the colour key.
var Key = []KeyEntry{KeyRunning, KeyRunnable, KeyIOWait, KeySyscall, KeyThread, KeyP,
	KeyConnIdle, KeyConnActive, KeyConnDialing, KeyTimeWait, KeyRequest,
	KeyData, KeyHeaders, KeyWindow, KeyCtrl, KeySegment, KeyLost, KeyRetransmit, Key503}

// glyph draws shape s in colour c centred on (x, y), fitting a 12-px box.
func glyph(l *List, s Shape, c Color, x, y float32) {
	switch s {
	case ShapeG:
		l.Circle(x, y, 5, c)
	case ShapeThread:
		l.LineW(x-5, y+4, x+5, y-4, 3, c)
	case ShapeP:
		l.Prims = append(l.Prims, Prim{Kind: PrimStroke, C: c, X: x - 6, Y: y - 5, W: 12, H: 10, R: 2})
	case ShapeConn:
		l.RoundRect(x-7, y-4, 14, 8, 4, c)
	case ShapeRequest:
		l.Ring(x, y, 4.5, 2, c)
	case ShapeFrame:
		l.Rect(x-6, y-3, 12, 6, c)
	case ShapeLost:
		l.LineW(x-5, y-5, x+5, y+5, 2.5, c)
		l.LineW(x-5, y+5, x+5, y-5, 2.5, c)
	case ShapeStatus:
		l.RoundRect(x-5, y-5, 10, 10, 2, c)
	case ShapeLine:
		l.LineW(x-6, y, x+6, y, 2.5, c)
	}
}

// legend draws entries left to right from (x, y), wrapping at width w;
// it returns the y below the last row.
func legend(l *List, x, y, w float32, entries ...KeyEntry) float32 {
	x0 := x
	for _, e := range entries {
		tw := TextWidth(e.Label, SizeSmall)
		if x > x0 && x+16+tw > x0+w {
			x, y = x0, y+LineH
		}
		glyph(l, e.Shape, e.C, x+6, y+LineH/2)
		l.TextAt(x+16, y+2, e.Label, SizeSmall, Left, Muted)
		x += 16 + tw + 14
	}
	return y + LineH
}

// legendHeight returns the height legend would take.
func legendHeight(w float32, entries ...KeyEntry) float32 {
	var l List
	return legend(&l, 0, 0, w, entries...)
}
