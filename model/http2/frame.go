package http2

import "fmt"

// FrameType is an HTTP/2 frame type (RFC 9113 §6).
type FrameType uint8

const (
	FrameData         FrameType = 0x0
	FrameHeaders      FrameType = 0x1
	FramePriority     FrameType = 0x2
	FrameRSTStream    FrameType = 0x3
	FrameSettings     FrameType = 0x4
	FramePushPromise  FrameType = 0x5
	FramePing         FrameType = 0x6
	FrameGoAway       FrameType = 0x7
	FrameWindowUpdate FrameType = 0x8
	FrameContinuation FrameType = 0x9
	framePreface      FrameType = 0xff // the client's 24-octet preface (not a frame)
)

var frameNames = [...]string{"DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION"}

// String returns the RFC name: DATA, HEADERS, WINDOW_UPDATE, ...
func (t FrameType) String() string {
	if int(t) < len(frameNames) {
		return frameNames[t]
	}
	if t == framePreface {
		return "PREFACE"
	}
	return fmt.Sprintf("UNKNOWN_FRAME_TYPE_%d", uint8(t))
}

// Flags are a frame's flags.
type Flags uint8

const (
	FlagEndStream  Flags = 0x1 // DATA, HEADERS
	FlagAck        Flags = 0x1 // SETTINGS, PING
	FlagEndHeaders Flags = 0x4 // HEADERS, CONTINUATION
	FlagPadded     Flags = 0x8
	FlagPriority   Flags = 0x20
)

// FrameHeaderLen is the 9-octet frame header (RFC 9113 §4.1).
const FrameHeaderLen = 9

// PrefaceLen is the client connection preface
// "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (RFC 9113 §3.4).
const PrefaceLen = 24

// Frame is one frame as the model sees it: no payload bytes, only what
// decides sizes and behaviour.
type Frame struct {
	Type   FrameType
	Flags  Flags
	Stream uint32
	Length uint32 // payload length, without the 9-octet header
	Incr   uint32 // WINDOW_UPDATE increment; RST_STREAM/GOAWAY error code
	Last   uint32 // GOAWAY last stream ID
	ack    bool
}

// WireLen returns the octets the frame takes on the wire.
func (f *Frame) WireLen() int64 {
	if f.Type == framePreface {
		return PrefaceLen
	}
	return FrameHeaderLen + int64(f.Length)
}

// SettingID is a SETTINGS parameter (RFC 9113 §6.5.2, RFC 9218 §2.1).
type SettingID uint16

const (
	SettingHeaderTableSize       SettingID = 0x1
	SettingEnablePush            SettingID = 0x2
	SettingMaxConcurrentStreams  SettingID = 0x3
	SettingInitialWindowSize     SettingID = 0x4
	SettingMaxFrameSize          SettingID = 0x5
	SettingMaxHeaderListSize     SettingID = 0x6
	SettingEnableConnectProtocol SettingID = 0x8
	SettingNoRFC7540Priorities   SettingID = 0x9
)

// Setting is one SETTINGS parameter; each takes 6 octets.
type Setting struct {
	ID  SettingID
	Val uint32
}

// RFC 9113 defaults and limits.
const (
	InitialWindowSize   = 65535 // §6.9.2
	DefaultMaxFrameSize = 16384 // §6.5.2
	MaxFrameSizeLimit   = 1<<24 - 1
	MaxWindow           = 1<<31 - 1 // §6.9.1
)

// Error codes (RFC 9113 §7).
const (
	ErrCodeNo            = 0x0
	ErrCodeProtocol      = 0x1
	ErrCodeFlowControl   = 0x3
	ErrCodeRefusedStream = 0x7
)
