// This file holds the configuration of both peers: the SETTINGS each sends
// and the window sizes and buffer sizes around them.
//
// DefaultConfig is Go's client talking to Go's server: the server's
// SETTINGS from http2serverConn.serve (MAX_FRAME_SIZE 1 MiB, 250
// concurrent streams, 1 MiB stream windows) and its connection
// WINDOW_UPDATE up to MaxUploadBufferPerConnection; the client's SETTINGS
// from http2Transport.newClientConn and its 1 GiB connection window.
// XNetServerSettings gives golang.org/x/net/http2's server for comparison.
// NewSet checks each setting against RFC 9113 §6.5.2's bounds.
//
// Mirrors http2serverConn.serve, http2Transport.newClientConn and
// http2Setting.Valid (src/net/http/h2_bundle.go, go1.26).

package http2

import (
	"fmt"
)

// Config sets both peers of the connections of a [Set]. DefaultConfig
// mirrors Go's client and server.
type Config struct {
	// ServerSettings are sent in the server's first SETTINGS frame.
	ServerSettings []Setting
	// ServerConnWindow is MaxUploadBufferPerConnection: the server sends a
	// connection WINDOW_UPDATE of ServerConnWindow-65535 after SETTINGS.
	ServerConnWindow int32
	// ClientSettings are sent after the client preface.
	ClientSettings []Setting
	// ClientConnWindowIncr is the client's connection WINDOW_UPDATE after
	// its SETTINGS (http2transportDefaultConnFlow = 1 GiB).
	ClientConnWindowIncr uint32
	// ClientMaxStreamsBeforeSettings is the client's limit until the
	// server's SETTINGS arrive (http2initialMaxConcurrentStreams = 100).
	ClientMaxStreamsBeforeSettings uint32
	// ReadSize is the size of the client's body reads (io.Copy into
	// io.Discard reads 8 KiB at a time).
	ReadSize int
	// HandlerChunk is the response buffer (handlerChunkWriteSize = 4 KiB):
	// a body that fits is sent with content-length and END_STREAM on its
	// only DATA frame.
	HandlerChunk int64
	// NewScheduler returns the server's write scheduler (default
	// round-robin, as in go1.26's bundled server).
	NewScheduler func() WriteScheduler
	// Authority and Date fill the request and response header fields fed
	// to the HPACK encoders.
	Authority, Date string
}

// DefaultMaxConcurrentStreams is the server's advertised limit
// (http2defaultMaxStreams = 250).
const DefaultMaxConcurrentStreams = 250

// GoServerSettings returns the SETTINGS of net/http's bundled server
// (http2serverConn.serve, go1.26, with the extended CONNECT protocol
// disabled as by default): MAX_FRAME_SIZE 1 MiB, MAX_CONCURRENT_STREAMS
// 250, MAX_HEADER_LIST_SIZE 1 MiB+320, HEADER_TABLE_SIZE 4096,
// INITIAL_WINDOW_SIZE 1 MiB.
func GoServerSettings() []Setting {
	return []Setting{
		{SettingMaxFrameSize, 1 << 20},
		{SettingMaxConcurrentStreams, DefaultMaxConcurrentStreams},
		{SettingMaxHeaderListSize, 1<<20 + 320},
		{SettingHeaderTableSize, DefaultHeaderTableSize},
		{SettingInitialWindowSize, 1 << 20},
	}
}

// XNetServerSettings is GoServerSettings plus NO_RFC7540_PRIORITIES = 1, as
// sent by golang.org/x/net/http2's server (v0.62).
func XNetServerSettings() []Setting {
	return append(GoServerSettings(), Setting{SettingNoRFC7540Priorities, 1})
}

// GoClientSettings returns the SETTINGS of Go's client (http2Transport
// newClientConn, go1.26).
func GoClientSettings() []Setting {
	return []Setting{
		{SettingEnablePush, 0},
		{SettingInitialWindowSize, 4 << 20},
		{SettingMaxFrameSize, DefaultMaxFrameSize},
		{SettingMaxHeaderListSize, 10 << 20},
	}
}

// DefaultConfig mirrors Go's client and server.
func DefaultConfig() Config {
	return Config{
		ServerSettings:                 GoServerSettings(),
		ServerConnWindow:               1 << 20,
		ClientSettings:                 GoClientSettings(),
		ClientConnWindowIncr:           1 << 30,
		ClientMaxStreamsBeforeSettings: 100,
		ReadSize:                       8 << 10,
		HandlerChunk:                   4 << 10,
		NewScheduler:                   NewRoundRobinScheduler,
		Authority:                      "example.com",
		Date:                           "Sat, 28 Nov 2026 12:00:00 GMT",
	}
}

// checkSetting applies RFC 9113 §6.5.2's limits.
func checkSetting(s Setting) error {
	switch s.ID {
	case SettingMaxFrameSize:
		if s.Val < DefaultMaxFrameSize || s.Val > MaxFrameSizeLimit {
			return fmt.Errorf("http2: SETTINGS_MAX_FRAME_SIZE %d outside [16384, 2^24-1]", s.Val)
		}
	case SettingInitialWindowSize:
		if s.Val > MaxWindow {
			return fmt.Errorf("http2: SETTINGS_INITIAL_WINDOW_SIZE %d > 2^31-1", s.Val)
		}
	case SettingEnablePush:
		if s.Val > 1 {
			return fmt.Errorf("http2: SETTINGS_ENABLE_PUSH %d", s.Val)
		}
	}
	return nil
}
