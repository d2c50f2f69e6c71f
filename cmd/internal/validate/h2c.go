package validate

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"encoding/json"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
	mh2 "github.com/gohttpsim/gohttpsim/model/http2"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// h2cSetting: one GET over prior-knowledge HTTP/2 cleartext (h2c) to a real
// net/http server (http.Server.Protocols with UnencryptedHTTP2), the client
// speaking the frames Go's own Transport sends at connection start
// (mirrors net/http.(*http2Transport).newClientConn, h2_bundle.go, go1.26:
// SETTINGS ENABLE_PUSH=0, INITIAL_WINDOW_SIZE=4MiB, MAX_HEADER_LIST_SIZE
// 10MiB, then WINDOW_UPDATE +1GiB on the connection). The frames the server
// sends until END_STREAM are counted.
type h2cSetting struct {
	name string
	Body int // response body bytes, written with one Write
}

// The bodies stay under the client's 4 MiB stream window: this client
// never returns window (Go's would, as its body reader consumes), so a
// larger body would stall where Go's client would not.
var h2cSettings = []h2cSetting{
	{name: "hello", Body: 13},
	{name: "1000B", Body: 1000},
	{name: "64KiB", Body: 64 << 10},
	{name: "1MiB", Body: 1 << 20},
}

func h2cCases() []*Case {
	var out []*Case
	for _, hs := range h2cSettings {
		hs := hs
		out = append(out, &Case{
			Name:    "h2c/" + hs.name,
			Doc:     fmt.Sprintf("h2c GET of a %d-byte body: frames the server sends until END_STREAM", hs.Body),
			Metrics: []string{"frames", "data_frames", "max_data_len"},
			Real:    func(ctx context.Context, run int) ([]float64, string, error) { return h2cReal(ctx, hs) },
			Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
				return h2cSim(ctx, hs, rep, cal)
			},
		})
	}
	return out
}

// h2cFrame is one frame as seen on the wire.
type h2cFrame struct {
	Type   http2.FrameType
	Flags  http2.Flags
	Stream uint32
	Len    uint32
}

func (f h2cFrame) String() string {
	s := f.Type.String()
	var fl []string
	if f.Flags.Has(http2.FlagSettingsAck) && (f.Type == http2.FrameSettings || f.Type == http2.FramePing) {
		fl = append(fl, "ACK")
	}
	if f.Flags.Has(http2.FlagDataEndStream) && (f.Type == http2.FrameData || f.Type == http2.FrameHeaders) {
		fl = append(fl, "END_STREAM")
	}
	if f.Type == http2.FrameData {
		s += "(" + strconv.Itoa(int(f.Len)) + ")"
	}
	if len(fl) > 0 {
		s += "[" + strings.Join(fl, ",") + "]"
	}
	return s
}

// h2cMetrics computes the compared values from a frame sequence.
func h2cMetrics(frames []h2cFrame) []float64 {
	var data, maxLen float64
	for _, f := range frames {
		if f.Type == http2.FrameData {
			data++
			maxLen = max(maxLen, float64(f.Len))
		}
	}
	return []float64{float64(len(frames)), data, maxLen}
}

func describeFrames(frames []h2cFrame) string {
	var parts []string
	for i := 0; i < len(frames); {
		j := i
		for j+1 < len(frames) && frames[j+1] == frames[i] {
			j++
		}
		s := frames[i].String()
		if j > i {
			s += "×" + strconv.Itoa(j-i+1)
		}
		parts = append(parts, s)
		i = j + 1
	}
	return strings.Join(parts, " ")
}

func h2cReal(ctx context.Context, hs h2cSetting) ([]float64, string, error) {
	body := bytes.Repeat([]byte("x"), hs.Body)
	var protos http.Protocols
	protos.SetUnencryptedHTTP2(true)
	srv, err := startServer(&http.Server{
		Protocols: &protos,
		Handler:   http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }),
	})
	if err != nil {
		return nil, "", err
	}
	defer srv.Close()
	conn, err := dialLoopback(ctx, srv.Addr)
	if err != nil {
		return nil, "", err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write([]byte(http2.ClientPreface)); err != nil {
		return nil, "", err
	}
	fr := http2.NewFramer(conn, conn)
	if err := fr.WriteSettings(
		http2.Setting{ID: http2.SettingEnablePush, Val: 0},
		http2.Setting{ID: http2.SettingInitialWindowSize, Val: 4 << 20},
		http2.Setting{ID: http2.SettingMaxHeaderListSize, Val: 10 << 20},
	); err != nil {
		return nil, "", err
	}
	if err := fr.WriteWindowUpdate(0, 1<<30); err != nil {
		return nil, "", err
	}
	var hbuf bytes.Buffer
	enc := hpack.NewEncoder(&hbuf)
	for _, hf := range []hpack.HeaderField{{Name: ":method", Value: "GET"}, {Name: ":scheme", Value: "http"},
		{Name: ":authority", Value: srv.Addr}, {Name: ":path", Value: "/"}, {Name: "accept-encoding", Value: "gzip"},
		{Name: "user-agent", Value: "Go-http-client/2.0"}} {
		enc.WriteField(hf)
	}
	if err := fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: hbuf.Bytes(), EndStream: true, EndHeaders: true}); err != nil {
		return nil, "", err
	}
	var frames []h2cFrame
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return nil, "", fmt.Errorf("after %s: %w", describeFrames(frames), err)
		}
		h := f.Header()
		frames = append(frames, h2cFrame{Type: h.Type, Flags: h.Flags, Stream: h.StreamID, Len: h.Length})
		if sf, ok := f.(*http2.SettingsFrame); ok && !sf.IsAck() {
			if err := fr.WriteSettingsAck(); err != nil {
				return nil, "", err
			}
		}
		if h.StreamID == 1 && h.Flags.Has(http2.FlagDataEndStream) && (h.Type == http2.FrameData || h.Type == http2.FrameHeaders) {
			break
		}
		if len(frames) > 1000 {
			return nil, "", fmt.Errorf("no END_STREAM after 1000 frames")
		}
	}
	return h2cMetrics(frames), describeFrames(frames), nil
}

// h2cSim is the simulated side: one connection of model/http2 (Go's
// client and server settings, DefaultConfig) over model/tcp on a
// zero-delay link, a GET whose response body is written in one Write;
// the server's frames, from the model's frame trace, until END_STREAM on
// stream 1.
func h2cSim(ctx context.Context, hs h2cSetting, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
	e := sim.NewEngine(scenario.Seed(simSeed, 0, rep))
	e.MaxEvents = 1_000_000
	net, err := tcp.New(e, tcp.Config{})
	if err != nil {
		return nil, "", err
	}
	var trace bytes.Buffer
	o := &h2cOwner{e: e, body: int64(hs.Body)}
	set, err := mh2.NewSet(e, net, mh2.DefaultConfig(), o, &trace)
	if err != nil {
		return nil, "", err
	}
	set.Dial()
	e.Run()
	if err := set.Err(); err != nil {
		return nil, "", fmt.Errorf("model/http2: %v", err)
	}
	if !o.done {
		return nil, "", fmt.Errorf("model/http2: the stream did not finish (%d events)", e.Events())
	}
	frames, err := serverFrames(trace.Bytes())
	if err != nil {
		return nil, "", err
	}
	return h2cMetrics(frames), describeFrames(frames), nil
}

// h2cOwner opens one stream when connected and answers it with body bytes.
type h2cOwner struct {
	e    *sim.Engine
	body int64
	done bool
}

func (o *h2cOwner) Connected(c *mh2.Conn)              { c.OpenStream("/") }
func (o *h2cOwner) ServerRequest(c *mh2.Conn, s int32) { c.Respond(s, o.body) }
func (o *h2cOwner) StreamDone(c *mh2.Conn, s int32)    { o.done = true; o.e.Stop() }

// serverFrames reads model/http2's JSON-lines frame trace and returns the
// frames the server wrote, up to END_STREAM on stream 1.
func serverFrames(trace []byte) ([]h2cFrame, error) {
	byName := map[string]http2.FrameType{}
	for t := http2.FrameData; t <= http2.FrameContinuation; t++ {
		byName[t.String()] = t
	}
	var out []h2cFrame
	for _, line := range bytes.Split(bytes.TrimSpace(trace), []byte("\n")) {
		var f struct {
			Stream uint32 `json:"stream"`
			Type   string `json:"type"`
			Flags  uint8  `json:"flags"`
			Length uint32 `json:"length"`
			From   string `json:"from"`
		}
		if err := json.Unmarshal(line, &f); err != nil {
			return nil, fmt.Errorf("model/http2 trace line %q: %v", line, err)
		}
		if f.From != "server" {
			continue
		}
		t, ok := byName[f.Type]
		if !ok {
			return nil, fmt.Errorf("model/http2 trace: unknown frame type %q", f.Type)
		}
		fr := h2cFrame{Type: t, Flags: http2.Flags(f.Flags), Stream: f.Stream, Len: f.Length}
		out = append(out, fr)
		if fr.Stream == 1 && fr.Flags.Has(http2.FlagDataEndStream) && (t == http2.FrameData || t == http2.FrameHeaders) {
			return out, nil
		}
	}
	return nil, fmt.Errorf("model/http2 trace has no END_STREAM on stream 1")
}
