package hcnsim

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hcnkit/hcn"
)

// ProtocolVersion is the version of the wire protocol between Serve and
// Dial, described here.
//
// A connection is a byte stream (a Unix socket or loopback TCP) carrying
// frames both ways. A frame is a 4-byte big-endian payload length followed
// by that many bytes holding one JSON object. A length of zero or above the
// limit (DefaultMaxFrame unless configured) ends the connection; so does a
// payload that is not a JSON object of the expected shape.
//
// The client's first frame is a hello; the server answers it, or answers
// an error (E_NOTIMPL for another version, E_ACCESSDENIED for a missing or
// wrong token) and closes the connection, before it reads anything else:
//
//	→ {"id":0,"m":"hello","v":1,"token":"<64 hex digits>"}
//	← {"id":0,"v":1}
//
// Every later client frame is a call: id is the client's number for it
// (non-zero, unique among its calls in flight), m the hcn.Service method
// name ("Enumerate", "CreateEndpoint", "HNSCall", ...), and the arguments
// sit in fixed members: k the kind, h a handle, g a GUID, s the JSON text
// argument (settings, query or HNSCall body), verb and path (HNSCall),
// proto, access, port and count (port reservations), cb the client's number
// for a callback registration (0 registers a nil callback):
//
//	→ {"id":7,"m":"Create","k":1,"s":"{\"Name\":\"n\",...}"}
//	← {"id":7,"h":2271560488}
//	→ {"id":8,"m":"Query","k":1,"h":2271560488}
//	← {"id":8,"s":"{\"ID\":\"...\",...}"}
//	→ {"id":9,"m":"Open","k":1,"g":"5f0b...."}
//	← {"id":9,"e":{"op":"HcnOpenNetwork","k":1,"id":"5f0b....","hr":2151350273,"rec":"{\"Success\":false,...}"}}
//
// A reply carries the call's id and its results (h a handle, s a text,
// range a port range, entries the port reservations) or e, the error:
// the *hcn.Error's Op, Kind, ID and HRESULT, its error record as the
// service gave it (rec), and its cause other than the HRESULT as text with
// the sentinel class and HRESULT it wraps (cause, class, chr). Replies come
// in the order calls finish, not the order they were made. An unknown
// method is answered E_NOTIMPL.
//
// The server pushes notifications for the client's registration cb, in the
// service's order:
//
//	← {"n":{"cb":3,"t":2,"d":"{\"ID\":\"...\",\"Flags\":0}"}}
//
// A "bye" call ends the connection gracefully: the server releases the
// connection's handles, answers, and closes.
const ProtocolVersion = 1

// DefaultMaxFrame bounds a frame's payload (16 MiB) unless ServeOptions or
// DialOptions set another limit.
const DefaultMaxFrame = 16 << 20

const (
	methodHello = "hello"
	methodBye   = "bye"
	// maxHelloFrame bounds the first frame, read before the peer is
	// authenticated.
	maxHelloFrame = 4 << 10
)

// request is a client frame: a hello or a call.
type request struct {
	ID       uint64           `json:"id"`
	Method   string           `json:"m"`
	Kind     hcn.Kind         `json:"k,omitempty"`
	Handle   hcn.Handle       `json:"h,omitempty"`
	GUID     hcn.GUID         `json:"g,omitzero"`
	Text     string           `json:"s,omitempty"`
	Verb     string           `json:"verb,omitempty"`
	Path     string           `json:"path,omitempty"`
	Protocol hcn.PortProtocol `json:"proto,omitempty"`
	Access   hcn.PortAccess   `json:"access,omitempty"`
	Port     uint16           `json:"port,omitempty"`
	Count    uint16           `json:"count,omitempty"`
	Callback uint64           `json:"cb,omitempty"`
	Version  int              `json:"v,omitempty"`
	Token    string           `json:"token,omitempty"`
}

// response is a server frame: a reply or a notification.
type response struct {
	ID      uint64                `json:"id"`
	Handle  hcn.Handle            `json:"h,omitempty"`
	Text    string                `json:"s,omitempty"`
	Range   *hcn.PortRange        `json:"range,omitempty"`
	Entries *[]hcn.PortRangeEntry `json:"entries,omitempty"`
	Err     *wireError            `json:"e,omitempty"`
	Note    *wireNote             `json:"n,omitempty"`
	Version int                   `json:"v,omitempty"`
}

// wireNote is one notification for the client's registration CB.
type wireNote struct {
	CB     uint64               `json:"cb"`
	Type   hcn.NotificationType `json:"t"`
	Status hcn.HRESULT          `json:"st,omitempty"`
	Data   string               `json:"d,omitempty"`
}

// wireError is an error as it crosses the wire.
type wireError struct {
	Op      string      `json:"op,omitempty"`
	Kind    hcn.Kind    `json:"k,omitempty"`
	ID      string      `json:"id,omitempty"`
	HRESULT hcn.HRESULT `json:"hr,omitempty"`
	Record  *string     `json:"rec,omitempty"`
	Cause   string      `json:"cause,omitempty"`
	Class   string      `json:"class,omitempty"`
	CauseHR hcn.HRESULT `json:"chr,omitempty"`
	// Plain marks an error that was not an *hcn.Error: Cause is all of it.
	Plain bool `json:"plain,omitempty"`
}

// classes names the sentinel errors a cause can wrap.
var classes = []struct {
	name string
	err  error
}{
	{"NotFound", hcn.ErrNotFound}, {"AlreadyExists", hcn.ErrAlreadyExists},
	{"AccessDenied", hcn.ErrAccessDenied}, {"Invalid", hcn.ErrInvalid},
	{"AddressReserved", hcn.ErrAddressReserved}, {"PortInUse", hcn.ErrPortInUse},
	{"NotSupported", hcn.ErrNotSupported}, {"Transient", hcn.ErrTransient},
	{"InvalidHandle", hcn.ErrInvalidHandle}, {"InUse", hcn.ErrInUse},
}

// encodeError turns err into its wire form.
func encodeError(err error) *wireError {
	he, ok := err.(*hcn.Error)
	if !ok {
		w := &wireError{Plain: true}
		w.setCause(err)
		return w
	}
	w := &wireError{Op: he.Op, Kind: he.Kind, ID: he.ID, HRESULT: he.HRESULT}
	if he.Record != nil {
		raw := he.Record.Raw
		if strings.TrimSpace(raw) == "" { // a record built by hand: send its fields
			b, _ := json.Marshal(he.Record)
			raw = string(b)
		}
		w.Record = &raw
	}
	if he.Err != nil {
		w.setCause(he.Err)
	}
	return w
}

func (w *wireError) setCause(err error) {
	w.Cause = err.Error()
	for _, c := range classes {
		if errors.Is(err, c.err) {
			w.Class = c.name
			break
		}
	}
	var hr hcn.HRESULT
	if errors.As(err, &hr) {
		w.CauseHR = hr
	}
}

// decode rebuilds the error: an *hcn.Error with the same Op, Kind, ID,
// HRESULT and Record (parsed from the same text), and a cause that keeps
// its text, sentinel class and HRESULT.
func (w *wireError) decode() error {
	var cause error
	if w.Cause != "" || w.Class != "" || w.CauseHR != 0 {
		rc := &remoteError{msg: w.Cause, hr: w.CauseHR}
		for _, c := range classes {
			if c.name == w.Class {
				rc.class = c.err
			}
		}
		cause = rc
	}
	if w.Plain {
		if cause == nil {
			cause = errors.New("hcnsim: remote error")
		}
		return cause
	}
	e := &hcn.Error{Op: w.Op, Kind: w.Kind, ID: w.ID, HRESULT: w.HRESULT, Err: cause}
	if w.Record != nil {
		e.Record = hcn.ParseErrorRecord(*w.Record)
	}
	return e
}

// remoteError is a cause that crossed the wire: its text, and the
// sentinel class and HRESULT it wrapped.
type remoteError struct {
	msg   string
	class error
	hr    hcn.HRESULT
}

func (e *remoteError) Error() string { return e.msg }

func (e *remoteError) Unwrap() []error {
	var errs []error
	if e.class != nil {
		errs = append(errs, e.class)
	}
	if e.hr != 0 {
		errs = append(errs, e.hr)
	}
	return errs
}

// errFrame reports a frame the protocol does not allow.
var errFrame = errors.New("hcnsim: bad frame")

// readFrame reads one frame's payload of at most max bytes.
func readFrame(r *bufio.Reader, max int) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n == 0 || uint64(n) > uint64(max) {
		return nil, fmt.Errorf("%w: length %d (limit %d)", errFrame, n, max)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return b, nil
}

// encodeFrame returns v as a frame: length and JSON payload.
func encodeFrame(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.Write([]byte{0, 0, 0, 0})
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	n := len(b) - 4
	if uint64(n) > 1<<32-1 {
		return nil, fmt.Errorf("%w: payload of %d bytes", errFrame, n)
	}
	binary.BigEndian.PutUint32(b, uint32(n))
	return b, nil
}

// payloadLen is the payload size of a frame from encodeFrame.
func payloadLen(frame []byte) int { return len(frame) - 4 }
