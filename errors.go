package hcn

import (
	"encoding/json"
	"errors"
	"strings"
)

// Sentinel error classes. Test with errors.Is; every *Error and every
// HRESULT maps to at most one class (see the HRESULT table).
var (
	// ErrNotFound: the object does not exist (HCN_E_*_NOT_FOUND,
	// ERROR_NOT_FOUND 0x80070490, ...).
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: an object with this id or name exists
	// (HCN_E_NETWORK_ALREADY_EXISTS, ERROR_ALREADY_EXISTS 0x800700B7,
	// ERROR_OBJECT_ALREADY_EXISTS 0x80071392, ...).
	ErrAlreadyExists = errors.New("already exists")
	// ErrAccessDenied: the caller lacks the rights (E_ACCESSDENIED); HCN
	// needs Administrator or Hyper-V Administrators.
	ErrAccessDenied = errors.New("access denied")
	// ErrInvalid: a document, argument, policy, IP or prefix was rejected,
	// by the service (E_INVALIDARG, HCN_E_INVALID_*) or by the library's own
	// validation before any call.
	ErrInvalid = errors.New("invalid argument")
	// ErrAddressReserved: the address is invalid or reserved
	// (HCN_E_ADDR_INVALID_OR_RESERVED 0x803B002F).
	ErrAddressReserved = errors.New("address invalid or reserved")
	// ErrPortInUse: the frontend VIP, protocol and port are taken
	// (HCN_E_PORT_ALREADY_EXISTS 0x803B0013), or a port reservation
	// collides.
	ErrPortInUse = errors.New("port already in use")
	// ErrNotSupported: the host cannot do this (E_NOTIMPL, a missing DLL
	// export, a service version without the feature, or a non-Windows
	// host service).
	ErrNotSupported = errors.New("not supported")
	// ErrTransient: the service is restarting or unreachable
	// (RPC_S_SERVER_UNAVAILABLE, RPC_S_CALL_FAILED, HCN_E_MANAGER_STOPPED,
	// ERROR_NOT_READY). Retrying later may succeed. Never a not-found.
	ErrTransient = errors.New("service temporarily unavailable")
	// ErrInvalidHandle: the handle is closed or was invalidated by a
	// service restart (E_HANDLE).
	ErrInvalidHandle = errors.New("invalid handle")
	// ErrInUse: the object is still referenced (HCN_E_ENTITY_HAS_REFERENCES).
	ErrInUse = errors.New("object in use")
)

// Error is the error of one failed service operation.
type Error struct {
	// Op is the HCN function that failed, e.g. "HcnCreateEndpoint", or a
	// library operation name for failures found before any call.
	Op string
	// Kind is the object kind the operation was on; zero when none.
	Kind Kind
	// ID is the object id or name the operation was about, if any.
	ID string
	// HRESULT is the code the service returned. It is zero when the
	// failure was found by the library before any call (then Err says
	// why), except that a handle the library already knows to be closed is
	// reported with E_HANDLE, as the service would report it.
	HRESULT HRESULT
	// Record is the service's error record, parsed; nil when it sent none.
	Record *ErrorRecord
	// Err is an underlying cause other than the HRESULT (e.g. a validation
	// error or ErrNotSupported for a missing export); may be nil.
	Err error
}

// Error formats "HcnCreateEndpoint endpoint 5f0b...: HCN_E_ADDR_INVALID_OR_RESERVED
// (0x803B002F): An address provided is invalid or reserved."
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Kind != 0 {
		b.WriteString(" ")
		b.WriteString(e.Kind.String())
	}
	if e.ID != "" {
		b.WriteString(" ")
		b.WriteString(e.ID)
	}
	if e.HRESULT != 0 {
		b.WriteString(": ")
		b.WriteString(e.HRESULT.String())
	}
	if e.Record != nil {
		if msg := e.Record.Message(); msg != "" {
			b.WriteString(": ")
			b.WriteString(msg)
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the causes: the HRESULT (when set) and Err (when set), so
// errors.Is(err, hcn.E_HANDLE) and errors.Is(err, someCause) both work.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.HRESULT != 0 {
		errs = append(errs, e.HRESULT)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// Temporary reports whether the failure is transient (see ErrTransient).
func (e *Error) Temporary() bool { return errors.Is(e, ErrTransient) }

// NewError returns an *Error for a failed call, or nil when hr is a success
// code and record reports no failure. record is the raw error-record text
// the service gave (may be empty).
func NewError(op string, kind Kind, id string, hr HRESULT, record string) error {
	if !hr.Failed() {
		return nil
	}
	return &Error{Op: op, Kind: kind, ID: id, HRESULT: hr, Record: ParseErrorRecord(record)}
}

// ErrorRecord is the JSON record the service attaches to a failure:
// {"Success":false,"Error":"<message> ","ErrorCode":<HRESULT as unsigned decimal>}.
// A record that is not JSON is kept verbatim in Raw.
type ErrorRecord struct {
	// Success is false in a failure record; a record attached to a successful
	// call may say true.
	Success bool `json:"Success"`
	// Error is the service's message, with a trailing space as sent
	// ("The switch-port was not found. "); Message trims it.
	Error string `json:"Error,omitempty"`
	// ErrorCode is the failure's HRESULT, sent as an unsigned decimal
	// (2151350279 is 0x803B0007) or as a negative int32 (the same bits);
	// zero when absent. HRESULT returns it typed.
	ErrorCode uint32 `json:"ErrorCode,omitempty"`
	// Data is the extra output a modify response may carry (raw JSON); its
	// shape depends on the request.
	Data json.RawMessage `json:"Data,omitempty"`
	// Raw is the record's text exactly as received.
	Raw string `json:"-"`
	// notJSON is set when Raw did not parse as a JSON object.
	notJSON bool
}

// ParseErrorRecord parses an error record. It returns nil for an empty or
// all-blank text. Text that is not a JSON object gives a record with only Raw
// set. It never fails.
func ParseErrorRecord(s string) *ErrorRecord {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	r := &ErrorRecord{Raw: s}
	var probe struct {
		Success   *bool           `json:"Success"`
		Error     json.RawMessage `json:"Error"`
		ErrorCode json.Number     `json:"ErrorCode"`
		Data      json.RawMessage `json:"Data"`
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&probe); err != nil {
		r.notJSON = true
		return r
	}
	if probe.Success != nil {
		r.Success = *probe.Success
	}
	var msg string
	if json.Unmarshal(probe.Error, &msg) == nil {
		r.Error = msg
	}
	if probe.ErrorCode != "" {
		if n, err := probe.ErrorCode.Int64(); err == nil {
			r.ErrorCode = uint32(n) // negative int32 forms wrap to the same code
		}
	}
	r.Data = probe.Data
	return r
}

// Message returns the record's message without the service's trailing
// space, or the raw text when the record is not JSON.
func (r *ErrorRecord) Message() string {
	if r == nil {
		return ""
	}
	if r.Error != "" {
		return strings.TrimSpace(r.Error)
	}
	if r.notJSON {
		return strings.TrimSpace(r.Raw)
	}
	return ""
}

// HRESULT returns the record's ErrorCode as an HRESULT.
func (r *ErrorRecord) HRESULT() HRESULT {
	if r == nil {
		return 0
	}
	return HRESULT(r.ErrorCode)
}

// IsNotFound reports whether err is a not-found failure. It is never true
// for a transient failure.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IgnoreNotFound returns nil when err is a not-found failure and err
// otherwise; use it to treat deletes of what is already gone as success.
func IgnoreNotFound(err error) error {
	if IsNotFound(err) {
		return nil
	}
	return err
}

// IsJSON reports whether the record parsed as a JSON object.
func (r *ErrorRecord) IsJSON() bool { return r != nil && !r.notJSON }
