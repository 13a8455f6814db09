package hcnsim

import (
	"encoding/json"
	"fmt"

	"github.com/hcnkit/hcn"
)

// messages are the texts the service puts in an error record for each
// HRESULT (FormatMessage text; the record adds a trailing space).
var messages = map[hcn.HRESULT]string{
	hcn.HCN_E_NETWORK_NOT_FOUND:                 "The network was not found.",
	hcn.HCN_E_ENDPOINT_NOT_FOUND:                "The endpoint was not found.",
	hcn.HCN_E_SUBNET_NOT_FOUND:                  "The network does not have a subnet for this endpoint.",
	hcn.HCN_E_PORT_NOT_FOUND:                    "The switch-port was not found.",
	hcn.HCN_E_POLICY_NOT_FOUND:                  "An expected policy was not found.",
	hcn.HCN_E_INVALID_NETWORK:                   "The provided network configuration is invalid or missing parameters.",
	hcn.HCN_E_INVALID_NETWORK_TYPE:              "Invalid network type.",
	hcn.HCN_E_INVALID_ENDPOINT:                  "The provided endpoint configuration is invalid or missing parameters.",
	hcn.HCN_E_INVALID_POLICY:                    "The provided policy configuration is invalid or missing parameters.",
	hcn.HCN_E_INVALID_POLICY_TYPE:               "Invalid policy type.",
	hcn.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION: "This requested operation is invalid for a remote endpoint.",
	hcn.HCN_E_NETWORK_ALREADY_EXISTS:            "A network with this name already exists.",
	hcn.HCN_E_POLICY_ALREADY_EXISTS:             "Policy information already exists on this object.",
	hcn.HCN_E_PORT_ALREADY_EXISTS:               "The specified port already exists.",
	hcn.HCN_E_ENDPOINT_ALREADY_ATTACHED:         "This requested operation is invalid as this endpoint is already part of a network.",
	hcn.HCN_E_REQUEST_UNSUPPORTED:               "The specified request is unsupported.",
	hcn.HCN_E_GUID_CONVERSION_FAILURE:           "Failed to interpret a parameter as a GUID.",
	hcn.HCN_E_INVALID_JSON:                      "Invalid JSON document string.",
	hcn.HCN_E_INVALID_IP:                        "IP address is either invalid or not part of any configured subnet(s).",
	hcn.HCN_E_SWITCH_EXTENSION_NOT_FOUND:        "The specified switch extension does not exist on this switch.",
	hcn.HCN_E_MANAGER_STOPPED:                   "Operation cannot be performed while service is stopping.",
	hcn.GCN_E_DEFAULTNAMESPACE_EXISTS:           "The specified default namespace already exists.",
	hcn.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS: "This requested operation is invalid as this endpoint is already part of a network namespace.",
	hcn.HCN_E_ENTITY_HAS_REFERENCES:             "The specified entity cannot be removed while it still has references.",
	hcn.HCN_E_INVALID_INTERNAL_PORT:             "The internal port must exist and cannot be zero.",
	hcn.HCN_E_ADDR_INVALID_OR_RESERVED:          "An address provided is invalid or reserved.",
	hcn.HCN_E_INVALID_PREFIX:                    "The prefix provided is invalid.",
	hcn.HCN_E_INVALID_SUBNET:                    "The subnet provided is invalid.",
	hcn.HCN_E_INVALID_IP_SUBNET:                 "The IP subnet provided is invalid.",
	hcn.HCN_E_ENDPOINT_NOT_ATTACHED:             "The endpoint must be attached to complete the operation.",
	hcn.E_NOTIMPL:                               "Not implemented",
	hcn.E_FAIL:                                  "Unspecified error",
	hcn.E_ACCESSDENIED:                          "Access is denied.",
	hcn.E_HANDLE:                                "The handle is invalid.",
	hcn.E_INVALIDARG:                            "The parameter is incorrect.",
	hcn.ERROR_ALREADY_EXISTS:                    "Cannot create a file when that file already exists.",
	hcn.ERROR_NOT_FOUND:                         "Element not found.",
	hcn.ERROR_OBJECT_ALREADY_EXISTS:             "The object already exists.",
	hcn.RPC_S_SERVER_UNAVAILABLE:                "The RPC server is unavailable.",
	hcn.RPC_S_CALL_FAILED:                       "The remote procedure call failed.",
	hcn.ERROR_NOT_READY:                         "The device is not ready.",
}

// Message returns the text the emulator puts in the error record of a
// failure with code hr (without the service's trailing space).
func Message(hr hcn.HRESULT) string {
	if m, ok := messages[hr]; ok {
		return m
	}
	return fmt.Sprintf("HRESULT 0x%08X", uint32(hr))
}

// ErrorRecordText returns the error record the emulator gives for hr:
// {"Success":false,"Error":"<message> ","ErrorCode":<hr as unsigned decimal>}.
func ErrorRecordText(hr hcn.HRESULT) string { return recordText(hr, "") }

func recordText(hr hcn.HRESULT, detail string) string {
	msg := Message(hr)
	if detail != "" {
		msg += " " + detail
	}
	b, _ := json.Marshal(struct {
		Success   bool
		Error     string
		ErrorCode uint32
	}{false, msg + " ", uint32(hr)})
	return string(b)
}

// failure is an internal error: an HRESULT and an optional detail appended
// to the service message. The API boundary turns it into an *hcn.Error.
type failure struct {
	hr     hcn.HRESULT
	detail string
}

func (f *failure) Error() string { return f.hr.String() + ": " + f.detail }

// fail returns a failure with a formatted detail (may be empty).
func fail(hr hcn.HRESULT, format string, args ...any) *failure {
	d := format
	if len(args) > 0 {
		d = fmt.Sprintf(format, args...)
	}
	return &failure{hr: hr, detail: d}
}

// toError converts any error from the internals into the *hcn.Error of op.
func toError(op string, kind hcn.Kind, id string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := err.(*hcn.Error); ok {
		return e
	}
	f, ok := err.(*failure)
	if !ok {
		f = fail(hcn.E_FAIL, "%v", err)
	}
	return hcn.NewError(op, kind, id, f.hr, recordText(f.hr, f.detail))
}
